from __future__ import annotations

import datetime
from typing import Any

from django import forms

from clea.lib import limits

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
