from django import forms

from clea.dossiers.forms import DATE, SELECT
from clea.geography.models import Region
from clea.jury.models import College, Outcome
from clea.lib import limits
from clea.organisations.models import Organisation
from clea.referentiel.models import Certification


class SessionForm(forms.Form):
    date = forms.DateField(label="Date", widget=DATE)
    start = forms.TimeField(label="Heure", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    remote = forms.BooleanField(label="Session à distance", required=False)
    place = forms.CharField(label="Lieu", required=False, max_length=255)
    region = forms.ModelChoiceField(
        label="Région", queryset=Region.objects.order_by("name"), widget=forms.Select(attrs=SELECT)
    )
    certifications = forms.ModelMultipleChoiceField(
        label="Certifications",
        queryset=Certification.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins une certification."},
    )


class MemberForm(forms.Form):
    """``organisations``: those a member may represent (services.member_organisations)."""

    full_name = forms.CharField(label="Nom et prénom", max_length=255)
    college = forms.ChoiceField(label="Collège", choices=College.choices, widget=forms.Select(attrs=SELECT))
    organisation = forms.ModelChoiceField(
        label="Organisation représentée (facultatif)",
        required=False,
        to_field_name="public_id",
        queryset=Organisation.objects.none(),
        widget=forms.Select(attrs=SELECT),
        help_text=(
            "Un membre issu de l'employeur ou de l'organisme évaluateur d'un candidat ne vote pas sur son dossier."
        ),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label="Décision", choices=Outcome.choices, widget=forms.Select(attrs=SELECT))
    reasons = forms.CharField(
        label="Motifs", required=False, max_length=limits.REASON, widget=forms.Textarea(attrs={"rows": 2})
    )
    votes_for = forms.IntegerField(label="Voix pour", min_value=0, max_value=99)
    votes_against = forms.IntegerField(label="Voix contre", min_value=0, max_value=99, initial=0)
    votes_abstain = forms.IntegerField(label="Abstentions", min_value=0, max_value=99, initial=0)
