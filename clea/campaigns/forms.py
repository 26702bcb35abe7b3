from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from clea.campaigns import rules
from clea.campaigns.models import Verdict
from clea.geography.models import Region
from clea.lib import limits
from clea.referentiel.models import Certification

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SELECT = {"class": "fr-select"}
TEXTAREA = {"rows": 3, "class": "fr-input"}


def _euros(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=2,
        help_text="En euros HT. Laissez vide : 300 € par candidature et 150 € par établissement pour CléA "
        "numérique, rien pour CléA (règle 19).",
        localize=True,
    )


class CampaignForm(forms.Form):
    certification = forms.ModelChoiceField(
        label="Certification", queryset=Certification.objects.all(), widget=forms.Select(attrs=SELECT)
    )
    title = forms.CharField(label="Intitulé", max_length=200)
    opens_on = forms.DateField(label="Candidatures à partir du", widget=DATE)
    closes_on = forms.DateField(label="Candidatures jusqu'au", widget=DATE)
    habilitation_from = forms.DateField(label="Habilitations valables du", widget=DATE)
    habilitation_until = forms.DateField(label="Habilitations valables jusqu'au", widget=DATE)
    documents = forms.CharField(
        label="Pièces demandées",
        widget=forms.Textarea(attrs={"rows": 5, "class": "fr-input"}),
        help_text="Une pièce par ligne, au format PDF (par exemple : Extrait Kbis, Attestation Qualiopi).",
        max_length=4000,
    )
    admits_training = forms.BooleanField(
        label="Ouverte aux organismes de formation (CléA numérique seulement)", required=False
    )
    application_fee = _euros("Redevance par candidature")
    establishment_fee = _euros("Redevance par établissement habilité")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        certification = cleaned.get("certification")
        if certification is not None:
            defaults = rules.default_fees(certification.code)
            for name, default in zip(("application_fee", "establishment_fee"), defaults, strict=True):
                value = cleaned.get(name)
                cleaned[name + "_cents"] = default if value is None else int(value * 100)
        cleaned["document_list"] = [line.strip() for line in cleaned.get("documents", "").splitlines() if line.strip()]
        return cleaned


class RegionsForm(forms.Form):
    regions = forms.ModelMultipleChoiceField(
        label="Régions",
        queryset=Region.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins une région."},
    )


class EstablishmentForm(forms.Form):
    siret = forms.CharField(label="SIRET", max_length=20, help_text="14 chiffres, espaces permis.")
    name = forms.CharField(label="Nom de l'établissement", max_length=255)


class DocumentForm(forms.Form):
    required = forms.ChoiceField(label="Pièce", widget=forms.Select(attrs=SELECT))
    file = forms.FileField(
        label="Fichier PDF",
        help_text="PDF, 10 Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"class": "fr-upload", "accept": "application/pdf"}),
    )

    def __init__(self, *args: Any, pieces: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pieces = {str(piece.pk): piece for piece in pieces}
        choices = [(str(piece.pk), piece.label) for piece in pieces]
        self.fields["required"].choices = choices  # type: ignore[attr-defined]

    def clean_required(self):
        return self.pieces[self.cleaned_data["required"]]


class SubmitForm(forms.Form):
    answer = forms.CharField(
        label="Votre réponse au certificateur",
        widget=forms.Textarea(attrs=TEXTAREA),
        required=False,
        max_length=limits.REASON,
    )


class CheckForm(forms.Form):
    verdict = forms.ChoiceField(
        label="Vérification",
        choices=[(Verdict.ACCEPTED, "Conforme"), (Verdict.REFUSED, "Non conforme")],
        widget=forms.Select(attrs=SELECT),
    )
    note = forms.CharField(
        label="Remarque",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "fr-input"}),
        max_length=limits.REASON,
    )


class RequestForm(forms.Form):
    message = forms.CharField(
        label="Compléments demandés", widget=forms.Textarea(attrs=TEXTAREA), max_length=limits.REASON
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("accept", "Accepter : habiliter l'organisme"), ("reject", "Refuser")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="Motif", widget=forms.Textarea(attrs=TEXTAREA), max_length=limits.REASON)
