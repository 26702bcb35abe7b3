from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model

from clea.dossiers.identity import (
    BIRTH_PLACE_MISSING,
    BIRTH_PLACE_TWICE,
    birth_place_is_missing,
    birth_place_is_twice,
    validate_birth_date,
)
from clea.dossiers.models import CandidateStatus, Initiator, MeetingOutcome, Sex
from clea.dossiers.workflow import STATE_LABELS
from clea.geography.models import Commune, Country, Postcode
from clea.lib import limits
from clea.organisations.models import Organisation, OrganisationKind, PrescriberType, Role
from clea.referentiel.models import Certification, VersionStatus

SELECT = {"class": "fr-select"}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def evaluators_of(organisation):
    return (
        get_user_model()
        .objects.filter(
            memberships__organisation=organisation,
            memberships__is_active=True,
            memberships__role__in=[Role.EVALUATOR, Role.ADMIN],
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


class CommuneByCodeField(forms.ModelChoiceField):
    """A commune typed as its INSEE code or chosen among those of a postcode."""

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.departement_id})"


class DossierOpenForm(forms.Form):
    certification = forms.ModelChoiceField(
        label="Certification",
        queryset=Certification.objects.none(),
        widget=forms.Select(attrs=SELECT),
        empty_label=None,
    )
    birth_name = forms.CharField(label="Nom de naissance", max_length=150)
    usage_name = forms.CharField(label="Nom d'usage", max_length=150, required=False)
    first_names = forms.CharField(
        label="Prénoms", max_length=200, help_text="Tous les prénoms, dans l'ordre de l'état civil."
    )
    # Blank first: civil identity goes on the certificate and the CPF report, nothing is assumed.
    sex = forms.ChoiceField(
        label="Sexe (état civil)",
        choices=[("", "Choisir"), *Sex.choices],
        widget=forms.Select(attrs=SELECT),
        error_messages={"required": "Indiquez le sexe tel qu'il figure sur la pièce d'identité."},
    )
    birth_date = forms.DateField(label="Date de naissance", widget=DATE, validators=[validate_birth_date])
    birth_postcode = forms.CharField(
        label="Code postal de la commune de naissance",
        max_length=5,
        required=False,
        help_text="Laissez vide si la personne est née hors de France.",
    )
    birth_commune = CommuneByCodeField(
        label="Commune de naissance", queryset=Commune.objects.none(), required=False, widget=forms.Select(attrs=SELECT)
    )
    birth_country = forms.ModelChoiceField(
        label="Pays de naissance (hors de France)",
        help_text="Seulement si la personne est née hors de France : le pays tel qu'il s'appelait à sa naissance.",
        queryset=Country.objects.all(),
        required=False,
        empty_label="—",
        error_messages={"invalid_choice": "Choisissez un pays de la liste officielle."},
        widget=forms.Select(attrs=SELECT),
    )
    address_line1 = forms.CharField(label="Adresse", max_length=255)
    address_line2 = forms.CharField(label="Complément d'adresse", max_length=255, required=False)
    postcode = forms.CharField(label="Code postal", max_length=5)
    commune = CommuneByCodeField(label="Commune", queryset=Commune.objects.none(), widget=forms.Select(attrs=SELECT))
    email = forms.EmailField(label="E-mail", required=False)
    phone = forms.CharField(label="Téléphone", max_length=20, required=False)
    candidate_status = forms.ChoiceField(
        label="Situation", choices=CandidateStatus.choices, widget=forms.Select(attrs=SELECT)
    )
    employer = forms.ModelChoiceField(
        label="Employeur associé par le candidat (facultatif)",
        help_text=(
            "Seulement si le salarié choisit d'associer son employeur (absence sur le temps de travail, "
            "financement) : sinon son employeur n'apprend rien de son parcours. Un demandeur d'emploi ou un "
            "jeune peut associer l'employeur qui va l'embaucher (POE, contrat de professionnalisation)."
        ),
        required=False,
        queryset=Organisation.objects.filter(kind=OrganisationKind.EMPLOYER),
        to_field_name="public_id",
        widget=forms.Select(attrs=SELECT),
    )
    initiator = forms.ChoiceField(
        label="À l'initiative de", choices=Initiator.choices, widget=forms.Select(attrs=SELECT)
    )
    prescriber_type = forms.ChoiceField(
        label="Type de prescripteur",
        required=False,
        choices=[("", "—"), *PrescriberType.choices],
        widget=forms.Select(attrs=SELECT),
    )
    prescriber = forms.ModelChoiceField(
        label="Organisation prescriptrice",
        required=False,
        queryset=Organisation.objects.filter(kind=OrganisationKind.PRESCRIBER),
        to_field_name="public_id",
        widget=forms.Select(attrs=SELECT),
    )
    evaluator = forms.ModelChoiceField(
        label="Évaluateur référent",
        required=False,
        queryset=get_user_model().objects.none(),
        to_field_name="public_id",
        widget=forms.Select(attrs=SELECT),
    )
    consent = forms.BooleanField(
        label="Le candidat accepte que ses données soient enregistrées pour son parcours CléA",
        error_messages={"required": "Le consentement du candidat est nécessaire pour ouvrir son dossier."},
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["certification"]).queryset = Certification.objects.filter(
            versions__status=VersionStatus.ACTIVE
        ).order_by("code")
        cast(forms.ModelChoiceField, self.fields["evaluator"]).queryset = evaluators_of(organisation)
        for postcode_field, commune_field in (("postcode", "commune"), ("birth_postcode", "birth_commune")):
            postcode = (self.data.get(postcode_field) or "").strip()
            cast(forms.ModelChoiceField, self.fields[commune_field]).queryset = (
                Commune.objects.filter(postcodes__code=postcode).select_related("departement").order_by("name")
            )

    def _check_postcode(self, name):
        postcode = (self.cleaned_data.get(name) or "").strip()
        if postcode and not Postcode.objects.filter(code=postcode).exists():
            raise forms.ValidationError("Ce code postal n'existe pas.")
        return postcode

    def clean_postcode(self):
        return self._check_postcode("postcode")

    def clean_birth_postcode(self):
        return self._check_postcode("birth_postcode")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if birth_place_is_missing(cleaned.get("birth_commune"), cleaned.get("birth_country")):
            self.add_error("birth_country", BIRTH_PLACE_MISSING)
        elif birth_place_is_twice(cleaned.get("birth_commune"), cleaned.get("birth_country")):
            self.add_error("birth_country", BIRTH_PLACE_TWICE)
        if cleaned.get("initiator") == Initiator.PRESCRIBER and not cleaned.get("prescriber_type"):
            self.add_error("prescriber_type", "Indiquez le type de prescripteur.")
        return cleaned

    CANDIDATE_FIELDS = (
        "birth_name",
        "usage_name",
        "first_names",
        "sex",
        "birth_date",
        "birth_commune",
        "birth_country",
        "address_line1",
        "address_line2",
        "postcode",
        "commune",
        "email",
        "phone",
    )

    def candidate_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.CANDIDATE_FIELDS}


class EmployerForm(forms.Form):
    employer = forms.ModelChoiceField(
        label="Employeur que le candidat associe",
        queryset=Organisation.objects.filter(kind=OrganisationKind.EMPLOYER, is_active=True).order_by("name"),
        to_field_name="public_id",
        widget=forms.Select(attrs=SELECT),
    )


class TransferRequestForm(forms.Form):
    reason = forms.CharField(
        label="Motif de la demande de transfert", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class SubmitForm(forms.Form):
    summary = forms.CharField(
        label="Note pour le jury (facultative)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class MeetingForm(forms.Form):
    date = forms.DateField(label="Date de la réunion", widget=DATE)
    adviser = forms.ModelChoiceField(
        label="Conseiller",
        queryset=get_user_model().objects.none(),
        to_field_name="public_id",
        widget=forms.Select(attrs=SELECT),
        empty_label=None,
    )
    outcome = forms.ChoiceField(label="Suite donnée", choices=MeetingOutcome.choices, widget=forms.Select(attrs=SELECT))
    notes = forms.CharField(
        label="Notes", required=False, max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["adviser"]).queryset = evaluators_of(organisation)


class DossierFilterForm(forms.Form):
    q = forms.CharField(label="Nom du candidat", required=False, max_length=limits.SEARCH)
    state = forms.ChoiceField(
        label="État",
        required=False,
        widget=forms.Select(attrs=SELECT),
        choices=[("", "Tous")] + [(s.value, label) for s, label in STATE_LABELS.items()],
    )
    certification = forms.ModelChoiceField(
        label="Certification",
        required=False,
        empty_label="Toutes",
        queryset=Certification.objects.order_by("code"),
        to_field_name="code",
        widget=forms.Select(attrs=SELECT),
    )
    evaluator = forms.ModelChoiceField(
        label="Évaluateur",
        required=False,
        empty_label="Tous",
        queryset=get_user_model().objects.none(),
        to_field_name="public_id",
        widget=forms.Select(attrs=SELECT),
    )
    deadline_soon = forms.BooleanField(label="Limite des 5 ans dans moins de 6 mois", required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            cast(forms.ModelChoiceField, self.fields["evaluator"]).queryset = evaluators_of(organisation)
