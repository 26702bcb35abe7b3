from __future__ import annotations

import datetime
from typing import Any

from django import forms

from clea.lib import limits
from clea.referentiel.models import Certification

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WithdrawalForm(forms.Form):
    effective_on = forms.DateField(
        label="Date d'effet", widget=DATE, help_text="L'habilitation ne vaut plus à partir de ce jour."
    )
    reason = forms.CharField(
        label="Motif", widget=forms.Textarea(attrs={"rows": 3, "class": "fr-input"}), max_length=limits.REASON
    )

    def __init__(self, *args: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["effective_on"].initial = today

    def clean_effective_on(self) -> datetime.date:
        day = self.cleaned_data["effective_on"]
        if day < self.today:
            raise forms.ValidationError(
                f"La date d'effet ne peut pas être passée : choisissez le {self.today:%d/%m/%Y} ou après."
            )
        return day


class SuspensionForm(WithdrawalForm):
    ends_on = forms.DateField(
        label="Fin de la suspension", widget=DATE, required=False, help_text="Laissez vide jusqu'à levée."
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("effective_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", "La fin de la suspension doit suivre son début.")
        return cleaned


# --- risk signals and audits ----------------------------------------------------------------------------


class SignalsForm(forms.Form):
    certification = forms.ModelChoiceField(
        label="Certification",
        queryset=Certification.objects.all(),
        to_field_name="code",
        widget=forms.Select(attrs={"class": "fr-select"}),
    )
    start = forms.DateField(label="Évaluations closes du", widget=DATE)
    end = forms.DateField(label="au", widget=DATE)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "La fin de la période doit suivre son début.")
        return cleaned


class AuditForm(SignalsForm):
    title = forms.CharField(label="Intitulé", max_length=200)
    rate_percent = forms.IntegerField(label="Taux d'échantillonnage (%)", min_value=1, max_value=100, initial=30)
    minimum = forms.IntegerField(label="Minimum de dossiers par organisme", min_value=1, max_value=500, initial=2)
    maximum = forms.IntegerField(label="Maximum de dossiers par organisme", min_value=1, max_value=500, initial=20)
    seed = forms.IntegerField(
        label="Graine du tirage",
        min_value=0,
        max_value=2_000_000_000,
        help_text="Le même tirage se refait avec la même graine et les mêmes données.",
    )
    answer_by = forms.DateField(label="Réponse attendue avant le", widget=DATE)
    min_signals = forms.IntegerField(
        label="Organismes ayant au moins ce nombre de signaux levés",
        min_value=0,
        max_value=7,
        initial=1,
        required=False,
        help_text="0 : tous les organismes actifs sur la période. Ignoré quand des organismes sont choisis.",
    )
    organisations = forms.CharField(required=False, widget=forms.HiddenInput, max_length=4000)

    def clean_min_signals(self) -> int:
        value = self.cleaned_data.get("min_signals")
        return 1 if value is None else value


class AnswerForm(forms.Form):
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "fr-input"}),
        max_length=limits.REASON,
    )
    file = forms.FileField(
        label="Pièce (PDF)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "fr-upload", "accept": "application/pdf"}),
    )


class ConclusionForm(forms.Form):
    conclusion = forms.ChoiceField(label="Conclusion", widget=forms.RadioSelect, choices=())
    reason = forms.CharField(
        label="Motif",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "fr-input"}),
        max_length=limits.REASON,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from clea.quality.models import Conclusion

        super().__init__(*args, **kwargs)
        self.fields["conclusion"].choices = Conclusion.choices  # type: ignore[attr-defined]
