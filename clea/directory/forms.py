from django import forms

from clea.directory.search import Place
from clea.geography.models import Commune, Departement, Postcode, Region
from clea.referentiel.models import Certification

SELECT = {"class": "fr-select"}


class DirectorySearchForm(forms.Form):
    region = forms.ModelChoiceField(
        label="Région",
        required=False,
        queryset=Region.objects.order_by("name"),
        empty_label="Toutes",
        widget=forms.Select(attrs=SELECT),
    )
    departement = forms.ModelChoiceField(
        label="Département",
        required=False,
        empty_label="Tous",
        queryset=Departement.objects.order_by("code"),
        widget=forms.Select(attrs=SELECT),
    )
    lieu = forms.CharField(
        label="Commune ou code postal", required=False, max_length=100, help_text="Par exemple : Rennes, ou 35000."
    )
    certification = forms.ModelChoiceField(
        label="Certification",
        required=False,
        to_field_name="code",
        queryset=Certification.objects.order_by("code"),
        empty_label="Toutes",
        widget=forms.Select(attrs=SELECT),
    )

    def clean_lieu(self):
        text = self.cleaned_data["lieu"].strip()
        self.communes = []
        if not text:
            return text
        if text.isdigit():
            if len(text) != 5 or not Postcode.objects.filter(code=text).exists():
                raise forms.ValidationError("Ce code postal n'existe pas.")
            self.communes = list(
                Commune.objects.filter(postcodes__code=text, parent__isnull=True)
                .select_related("departement__region")
                .order_by("-population")
            )
        else:
            self.communes = list(
                Commune.objects.filter(name__iexact=text, parent__isnull=True)
                .select_related("departement__region")
                .order_by("-population")[:10]
            )
            if not self.communes:
                raise forms.ValidationError(
                    "Aucune commune de ce nom. Vérifiez l'orthographe ou saisissez le code postal."
                )
        return text

    def place(self) -> Place:
        data = self.cleaned_data
        commune = self.communes[0] if getattr(self, "communes", None) else None
        return Place(region=data.get("region"), departement=data.get("departement"), commune=commune)
