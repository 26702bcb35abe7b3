from typing import Any, cast

from django import forms

from clea.referentiel.models import Certification, ReferentielVersion

MAX_IMPORT_BYTES = 2 * 1024 * 1024


class ImportForm(forms.Form):
    certification = forms.ModelChoiceField(
        label="Certification",
        queryset=Certification.objects.all(),
        required=False,
        empty_label="Celle décrite dans le fichier (JSON)",
        help_text="Obligatoire pour un fichier CSV.",
        widget=forms.Select(attrs={"class": "fr-select"}),
    )
    label = forms.CharField(
        label="Libellé de la version",
        max_length=255,
        required=False,
        help_text="Par exemple « Référentiel 2027 ». Pour un JSON, le libellé du fichier est repris s'il existe.",
    )
    file = forms.FileField(
        label="Fichier JSON ou CSV",
        help_text="CSV : colonnes kind, code, parent_code, title, indicator, threshold_percent, weight, mandatory.",
        widget=forms.ClearableFileInput(attrs={"class": "fr-upload", "accept": ".json,.csv"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("Le fichier dépasse 2 Mo.")
        name = uploaded.name.lower()
        if not name.endswith((".json", ".csv")):
            raise forms.ValidationError("Le fichier doit être au format JSON ou CSV.")
        return uploaded

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        uploaded = cleaned.get("file")
        if uploaded and uploaded.name.lower().endswith(".csv") and not cleaned.get("certification"):
            self.add_error("certification", "Choisissez la certification du fichier CSV.")
        return cleaned


class CompareForm(forms.Form):
    before = forms.ModelChoiceField(
        label="Version de départ",
        queryset=ReferentielVersion.objects.none(),
        to_field_name="public_id",
        widget=forms.Select(attrs={"class": "fr-select"}),
    )
    after = forms.ModelChoiceField(
        label="Version d'arrivée",
        queryset=ReferentielVersion.objects.none(),
        to_field_name="public_id",
        widget=forms.Select(attrs={"class": "fr-select"}),
    )

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["before"]).queryset = versions
        cast(forms.ModelChoiceField, self.fields["after"]).queryset = versions

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        before, after = cleaned.get("before"), cleaned.get("after")
        if before and after and before.certification_id != after.certification_id:
            raise forms.ValidationError("Comparez deux versions d'une même certification.")
        return cleaned
