from typing import Any, cast

from django import forms

from clea.dossiers.forms import DATE, SELECT, evaluators_of


class StartEvaluationForm(forms.Form):
    evaluator: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Évaluateur",
        queryset=None,
        to_field_name="public_id",
        widget=forms.Select(attrs=SELECT),
        empty_label=None,
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["evaluator"]).queryset = evaluators_of(organisation)


class SittingForm(forms.Form):
    date = forms.DateField(label="Date", widget=DATE)
    start = forms.TimeField(label="Début", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label="Fin", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(label="Lieu", max_length=255)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] <= cleaned["start"]:
            self.add_error("end", "La séance doit finir après son début.")
        return cleaned


class CorrectionForm(forms.Form):
    reason = forms.CharField(label="Motif de la correction", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
