"""Training paths through the API: the evaluator organisation proposes, the trainer records progress."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from clea.api.base import (
    ApiView,
    organisation_field,
    require,
    require_work_on,
    today,
    user_field,
)
from clea.api.dossiers import (
    ProgressNoteSerializer,
    TrainingPathSerializer,
    get_dossier_for_user_or_404,
)
from clea.api.errors import ErrorSerializer
from clea.dossiers.permissions import can_record_progress
from clea.lib import limits
from clea.training import services
from clea.training.access import get_training_path_for_user_or_404


class TrainingPathInputSerializer(serializers.Serializer):
    training_organisation = organisation_field(help_text="Organisme de formation.")
    trainer = user_field(help_text="Formateur de cet organisme ; jamais l'évaluateur du candidat.")
    planned_hours = serializers.IntegerField(help_text="Durée prévue, de 1 à 2 000 heures.")
    start_date = serializers.DateField()
    end_date = serializers.DateField(help_text="Au plus tard la date limite du parcours.")
    targets = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        default=list,
        help_text="Critères visés en plus des critères non acquis (toujours inclus).",
    )


class ProgressInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    hours_done = serializers.IntegerField(
        min_value=0, max_value=2000, help_text="Heures réalisées depuis la note précédente."
    )
    note = serializers.CharField(max_length=limits.NOTE, allow_blank=True)


class TrainingPathCreateView(ApiView):
    serializer_class = TrainingPathInputSerializer

    @extend_schema(
        operation_id="dossiers_training_paths_create",
        summary="Proposer un parcours de formation (critères non acquis au minimum)",
        request=TrainingPathInputSerializer,
        responses={201: TrainingPathSerializer, **{c: ErrorSerializer for c in (400, 403, 404, 409)}},
    )
    def post(self, request, id):
        dossier = get_dossier_for_user_or_404(request.user, id)
        require_work_on(request.user, dossier)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        path = services.propose_training_path(
            dossier,
            training_organisation=values["training_organisation"],
            trainer=values["trainer"],
            planned_hours=values["planned_hours"],
            start_date=values["start_date"],
            end_date=values["end_date"],
            target_codes=values["targets"],
            by=request.user,
        )
        return Response(TrainingPathSerializer(path).data, status=status.HTTP_201_CREATED)


class ProgressCreateView(ApiView):
    serializer_class = ProgressInputSerializer

    @extend_schema(
        operation_id="training_paths_progress_create",
        summary="Noter l'avancement de la formation (formateur ou organisme de formation)",
        request=ProgressInputSerializer,
        responses={201: ProgressNoteSerializer, **{c: ErrorSerializer for c in (400, 403, 404)}},
    )
    def post(self, request, id):
        path = get_training_path_for_user_or_404(request.user, id)
        require(
            can_record_progress(request.user, path),
            "Seuls le formateur du parcours et son organisme de formation notent l'avancement.",
        )
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = services.record_progress(path, by=request.user, today=today(), **data.validated_data)
        return Response(ProgressNoteSerializer(note).data, status=status.HTTP_201_CREATED)
