from django import forms

from clea.lib import limits


class RequestForm(forms.Form):
    message = forms.CharField(
        label="Un mot pour l'organisme (facultatif)",
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"class": "fr-input", "rows": 3}),
    )


class RefuseForm(forms.Form):
    answer = forms.CharField(
        label="Pourquoi ces données ne peuvent pas être effacées (la personne lira ce motif)",
        max_length=limits.REASON,
        widget=forms.Textarea(attrs={"class": "fr-input", "rows": 3}),
        error_messages={"required": "Indiquez à la personne pourquoi ses données ne peuvent pas être effacées."},
    )
