"""The forms of the absence and employer-funding screens."""

from django import forms

from clea.absences.models import AbsenceStatus
from clea.dossiers.forms import DATE, SELECT
from clea.funding import schemes
from clea.funding.models import PAID_WORK_TIME, FundingScheme, FundingState, FundingStep
from clea.funding.services import opco_organisations
from clea.lib import limits


class AbsenceRequestForm(forms.Form):
    requested_on = forms.DateField(label="Demande faite à l'employeur le", widget=DATE)
    start_date = forms.DateField(label="Début de la formation", widget=DATE)
    end_date = forms.DateField(label="Fin de la formation", widget=DATE)
    hours = forms.IntegerField(label="Heures sur le temps de travail", min_value=1, max_value=2000)
    # Shown ticked and locked: the law, not an option (rule 16); a posted value cannot untick it.
    pay_maintained = forms.BooleanField(
        label=PAID_WORK_TIME,
        required=False,
        initial=True,
        disabled=True,
        help_text="Le salarié qui suit sa formation avec son CPF sur le temps de travail garde sa rémunération.",
    )


class AbsenceAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label="Réponse",
        # No refusal: the employer must deliver it and chooses the dates in the last resort (rule 16).
        choices=[(s, AbsenceStatus(s).label) for s in (AbsenceStatus.ACCEPTED, AbsenceStatus.OTHER_DATES)],
        widget=forms.Select(attrs=SELECT),
    )
    reason = forms.CharField(
        label="Message au salarié (facultatif)",
        required=False,
        max_length=limits.REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    other_start = forms.DateField(label="Autres dates : début", required=False, widget=DATE)
    other_end = forms.DateField(label="Autres dates : fin", required=False, widget=DATE)


def _scheme_help() -> str:
    return " ".join(
        f"{FundingScheme(scheme).label} : réservé {rule.audience}." for scheme, rule in schemes.EMPLOYER_SCHEMES.items()
    )


class EmployerFundingForm(forms.Form):
    """What the employer brings (rule 17); the rules of clea.funding.schemes are checked by the service."""

    step = forms.ChoiceField(label="Étape financée", choices=FundingStep.choices, widget=forms.Select(attrs=SELECT))
    scheme = forms.ChoiceField(
        label="Dispositif",
        choices=[(s, FundingScheme(s).label) for s in schemes.employer_schemes()],
        help_text=_scheme_help(),
        widget=forms.Select(attrs=SELECT),
        error_messages={
            "invalid_choice": "Choisissez un dispositif de l'employeur : le CPF lui-même appartient au salarié "
            "(vous pouvez l'abonder)."
        },
    )
    opco = forms.ModelChoiceField(
        label="OPCO qui finance (Pro-A, contrat de professionnalisation)",
        queryset=opco_organisations(),  # lazy: read when the form is shown
        required=False,
        to_field_name="public_id",
        widget=forms.Select(attrs=SELECT),
    )
    amount = forms.DecimalField(label="Montant (€)", min_value=0, max_digits=10, decimal_places=2)
    state = forms.ChoiceField(label="État", choices=FundingState.choices, widget=forms.Select(attrs=SELECT))
