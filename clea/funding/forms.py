from django import forms

from clea.dossiers.forms import SELECT
from clea.funding.models import FundingScheme, FundingState, FundingStep


class FundingLineForm(forms.Form):
    step = forms.ChoiceField(label="Étape", choices=FundingStep.choices, widget=forms.Select(attrs=SELECT))
    scheme = forms.ChoiceField(label="Dispositif", choices=FundingScheme.choices, widget=forms.Select(attrs=SELECT))
    funder = forms.CharField(label="Financeur", max_length=255)
    amount = forms.DecimalField(label="Montant (€)", min_value=0, max_digits=10, decimal_places=2)
    state = forms.ChoiceField(label="État", choices=FundingState.choices, widget=forms.Select(attrs=SELECT))
