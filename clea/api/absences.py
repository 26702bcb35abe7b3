"""Absence authorisations through the API, as on the screens (``clea.absences.views``): the evaluator
organisation asks on the employee's behalf, only the employer answers.
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.mixins import ListModelMixin
from rest_framework.response import Response

from clea.absences import services as absences
from clea.absences.access import absence_requests_for, get_absence_request_for_user_or_404
from clea.absences.models import AbsenceRequest, AbsenceStatus
from clea.absences.permissions import can_answer_absence
from clea.absences.rules import absence_dates
from clea.api.base import (
    ERRORS,
    ApiView,
    OrganisationRefSerializer,
    PersonSerializer,
    require,
    require_work_on,
    today,
)
from clea.dossiers.access import get_dossier_for_user_or_404
from clea.funding.models import PAID_WORK_TIME
from clea.lib import limits

NOT_EMPLOYER = "Seul l'employeur du salarié répond à une demande d'autorisation d'absence."


@extend_schema_field(
    {
        "type": "string",
        "description": "pending (en attente), accepted (acceptée), refused (refusée), other_dates (acceptée à "
        "d'autres dates) ou tacitly_accepted (acceptée sans réponse dans les 30 jours).",
    }
)
class AbsenceStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=AbsenceStatus.choices, **kwargs)


class AbsenceDossierSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    candidate = serializers.CharField(source="candidate.full_name", help_text="Prénom et nom du salarié.")
    certification = serializers.CharField(source="certification.code")


class AbsenceRequestSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    dossier = AbsenceDossierSerializer()
    employer = OrganisationRefSerializer()
    requested_on = serializers.DateField(help_text="Date à laquelle le salarié a fait sa demande à l'employeur.")
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    hours = serializers.IntegerField(help_text="Heures de formation sur le temps de travail.")
    notice_days = serializers.SerializerMethodField()
    latest_request_date = serializers.DateField(help_text="Date limite légale de la demande.")
    request_late = serializers.BooleanField(
        help_text="Demande faite après la date limite légale (enregistrée quand même)."
    )
    answer_due = serializers.DateField(
        help_text="Réponse attendue au plus tard ce jour-là ; ensuite, le silence vaut acceptation."
    )
    status = AbsenceStatusField()
    status_label = serializers.CharField(source="get_status_display")
    answered_at = serializers.DateTimeField(allow_null=True)
    answered_by = PersonSerializer(allow_null=True)
    refusal_reason = serializers.CharField()
    other_start_date = serializers.DateField(allow_null=True)
    other_end_date = serializers.DateField(allow_null=True)
    pay_maintained = serializers.BooleanField(
        help_text=f"{PAID_WORK_TIME} : toujours vrai pour le CPF sur le temps de travail (la loi)."
    )
    pay_line = serializers.UUIDField(
        source="pay_line.public_id",
        allow_null=True,
        help_text="Ligne de financement des heures sur le temps de travail, écrite quand la demande est acceptée "
        "(explicitement, à d'autres dates ou tacitement).",
    )
    created_at = serializers.DateTimeField()

    def get_notice_days(self, obj) -> int:
        """Préavis légal en jours : 60, ou 120 pour une formation de six mois ou plus."""
        return absence_dates(requested_on=obj.requested_on, start=obj.start_date, end=obj.end_date).notice_days


class AbsenceRequestInputSerializer(serializers.Serializer):
    requested_on = serializers.DateField(help_text="Date de la demande du salarié à son employeur.")
    start_date = serializers.DateField(help_text="Début de la formation.")
    end_date = serializers.DateField(help_text="Fin de la formation.")
    hours = serializers.IntegerField(help_text="Heures sur le temps de travail (1 à 2 000).")
    pay_maintained = serializers.BooleanField(
        required=False,
        default=True,
        help_text=f"{PAID_WORK_TIME}. Obligatoire pour le CPF sur le temps de travail : false est refusé en 400.",
    )


class AbsenceAnswerSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[
            (s, AbsenceStatus(s).label)
            for s in (AbsenceStatus.ACCEPTED, AbsenceStatus.REFUSED, AbsenceStatus.OTHER_DATES)
        ]
    )
    reason = serializers.CharField(
        max_length=limits.REASON,
        required=False,
        allow_blank=True,
        default="",
        help_text="Message au salarié (facultatif).",
    )
    other_start = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Autres dates : début (pour other_dates)."
    )
    other_end = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Autres dates : fin (pour other_dates)."
    )


class AbsenceRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=AbsenceStatus.choices, help_text="État de la demande.")
    request_late = django_filters.BooleanFilter(help_text="Demandes faites hors délai légal.")

    class Meta:
        model = AbsenceRequest
        fields: list[str] = []


def absence_response(request, absence: AbsenceRequest, code: int = status.HTTP_200_OK) -> Response:
    fresh = absence_requests_for(request.user).get(pk=absence.pk)
    return Response(AbsenceRequestSerializer(fresh).data, status=code)


class AbsenceRequestListView(ListModelMixin, ApiView):
    serializer_class = AbsenceRequestSerializer
    filterset_class = AbsenceRequestFilter
    queryset = AbsenceRequest.objects.none()

    def get_queryset(self):
        return absence_requests_for(self.request.user)

    @extend_schema(
        operation_id="absence_requests_list",
        summary="Demandes d'autorisation d'absence visibles (employeur, organisme qui suit le dossier, certificateur)",
    )
    def get(self, request):
        return self.list(request)


class AbsenceRequestCreateView(ApiView):
    serializer_class = AbsenceRequestInputSerializer

    @extend_schema(
        operation_id="dossiers_absence_requests_create",
        summary="Enregistrer la demande d'autorisation d'absence d'un salarié (CPF sur le temps de travail)",
        description="Les dates légales sont calculées (préavis de 60 ou 120 jours, réponse sous 30 jours). Une "
        "demande hors délai est enregistrée quand même, marquée `request_late` : l'employeur peut l'accepter.",
        request=AbsenceRequestInputSerializer,
        responses={201: AbsenceRequestSerializer, **ERRORS},
    )
    def post(self, request, id):
        dossier = get_dossier_for_user_or_404(request.user, id)
        require_work_on(request.user, dossier)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = absences.request_absence(dossier, by=request.user, today=today(), **data.validated_data)
        return absence_response(request, created, status.HTTP_201_CREATED)


class AbsenceAnswerView(ApiView):
    serializer_class = AbsenceAnswerSerializer

    @extend_schema(
        operation_id="absence_requests_answer",
        summary="Répondre à une demande d'autorisation d'absence (employeur)",
        description="Accepter, ou accepter à d'autres dates choisies par l'employeur (other_dates). L'employeur "
        "doit délivrer l'autorisation pour CléA sur le temps de travail : « refused » est refusé en 400. Après le "
        "délai de 30 jours, le silence vaut acceptation : une réponse est refusée en 409.",
        request=AbsenceAnswerSerializer,
        responses={200: AbsenceRequestSerializer, **ERRORS},
    )
    def post(self, request, id):
        absence = get_absence_request_for_user_or_404(request.user, id)
        require(can_answer_absence(request.user, absence), NOT_EMPLOYER)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        absences.answer_absence(absence, by=request.user, today=today(), **data.validated_data)
        return absence_response(request, absence)
