from typing import cast

from django import forms
from django.contrib.auth import get_user_model

from clea.dossiers.forms import DATE, SELECT
from clea.organisations.models import Organisation, OrganisationKind, Role


class TrainerField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        organisations = ", ".join(
            m.organisation.name for m in obj.memberships.all() if m.role == Role.TRAINER and m.is_active
        )
        return f"{obj.get_full_name()} — {organisations}"


class TrainingPathForm(forms.Form):
    training_organisation = forms.ModelChoiceField(
        label="Organisme de formation",
        to_field_name="public_id",
        widget=forms.Select(attrs=SELECT),
        queryset=Organisation.objects.filter(kind=OrganisationKind.TRAINING, is_active=True).order_by("name"),
    )
    trainer = TrainerField(
        label="Formateur",
        to_field_name="public_id",
        widget=forms.Select(attrs=SELECT),
        help_text="Une autre personne que l'évaluateur du candidat.",
        queryset=get_user_model()
        .objects.filter(memberships__role=Role.TRAINER, memberships__is_active=True)
        .prefetch_related("memberships__organisation")
        .distinct()
        .order_by("last_name"),
    )
    planned_hours = forms.IntegerField(label="Durée prévue (heures)", min_value=1, max_value=2000)
    start_date = forms.DateField(label="Début", widget=DATE)
    end_date = forms.DateField(label="Fin", widget=DATE)
    extra_targets = forms.MultipleChoiceField(
        label="Critères supplémentaires (facultatif)",
        required=False,
        choices=(),
        widget=forms.SelectMultiple(attrs={"class": "fr-select", "size": 8}),
        help_text="Les critères manquants sont toujours visés ; vous pouvez en ajouter.",
    )

    def __init__(self, *args, extra_choices, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["extra_targets"]).choices = extra_choices


class ProgressForm(forms.Form):
    date = forms.DateField(label="Date", widget=DATE)
    hours_done = forms.IntegerField(label="Heures réalisées depuis la dernière note", min_value=0, max_value=2000)
    note = forms.CharField(label="Avancement", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
