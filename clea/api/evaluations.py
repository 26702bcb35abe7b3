"""Évaluations through the API: start, sittings, the grid with its revisions, results, corrections, closing.

An evaluation is addressed by its public id but found only through the dossiers the user can see.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from clea.api.base import (
    ApiView,
    ClockTimeField,
    bad_request,
    require_work_on,
    today,
    user_field,
)
from clea.api.dossiers import (
    DOSSIER_STATES,
    AssessmentSerializer,
    EvaluationSerializer,
    SittingSerializer,
    get_dossier_for_user_or_404,
)
from clea.api.errors import ErrorSerializer, StaleGridErrorSerializer
from clea.evaluations import services
from clea.evaluations.access import get_evaluation_for_user_or_404
from clea.evaluations.models import CriterionJudgement, Evaluation, EvaluationKind
from clea.lib import limits
from clea.organisations.models import Membership, Role
from clea.referentiel.models import Criterion

JUDGEMENTS = CriterionJudgement._meta.get_field("judgement").choices


# --- serializers ---------------------------------------------------------------------------------------


class EvaluationStartSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EvaluationKind.choices)
    evaluator = user_field(
        required=False,
        allow_null=True,
        default=None,
        help_text="Évaluateur de l'organisme (par défaut : vous) ; jamais le formateur du candidat.",
    )


class SittingInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    start = ClockTimeField(help_text="Heure de début (HH:MM).")
    end = ClockTimeField(help_text="Heure de fin (HH:MM), après le début.")
    place = serializers.CharField(max_length=255)


class GridCriterionSerializer(serializers.Serializer):
    criterion = serializers.CharField(help_text="Code du critère.")
    title = serializers.CharField()
    domain = serializers.CharField(help_text="Code du domaine.")
    subdomain = serializers.CharField(help_text="Code du sous-domaine.")
    weight = serializers.IntegerField()
    mandatory = serializers.BooleanField()
    read_only = serializers.BooleanField(
        help_text="Hors du champ de cette évaluation (critère déjà acquis, pour une évaluation finale)."
    )
    judgement = serializers.ChoiceField(choices=JUDGEMENTS, allow_null=True)
    comment = serializers.CharField(allow_blank=True)
    revision = serializers.IntegerField(
        allow_null=True, help_text="Révision actuelle du résultat, à renvoyer telle quelle lors de l'enregistrement."
    )
    by = serializers.CharField(allow_null=True)
    at = serializers.DateTimeField(allow_null=True)


class GridSerializer(serializers.Serializer):
    evaluation = serializers.UUIDField()
    dossier = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=EvaluationKind.choices)
    closed = serializers.BooleanField()
    criteria = GridCriterionSerializer(many=True)


class ResultEntrySerializer(serializers.Serializer):
    criterion = serializers.CharField(max_length=20, help_text="Code du critère.")
    judgement = serializers.ChoiceField(choices=JUDGEMENTS)
    comment = serializers.CharField(max_length=limits.COMMENT, required=False, allow_blank=True, default="")
    revision = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Révision lue dans la grille (null si le critère n'avait pas encore de résultat).",
    )


class ResultsInputSerializer(serializers.Serializer):
    results = ResultEntrySerializer(many=True)


class CorrectionInputSerializer(ResultsInputSerializer):
    reason = serializers.CharField(max_length=limits.REASON, help_text="Motif de la correction (obligatoire).")


class EvaluationClosedSerializer(serializers.Serializer):
    evaluation = serializers.UUIDField()
    dossier = serializers.UUIDField()
    state = serializers.ChoiceField(choices=DOSSIER_STATES)
    state_label = serializers.CharField()
    initial_assessment_date = serializers.DateField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    assessment = AssessmentSerializer()


def grid_data(evaluation: Evaluation) -> dict:
    """Every criterion of the scope with its current judgement and revision; for a finale, the criteria
    acquired before are listed read-only."""
    criteria = (
        Criterion.objects.filter(version=evaluation.referentiel_version)
        .select_related("subdomain__domain")
        .order_by("subdomain__domain__position", "subdomain__position", "position")
    )
    scope = set(evaluation.scope.values_list("pk", flat=True))
    current = services.current_revisions(evaluation)
    earlier = services.merged_judgements(evaluation.dossier) if evaluation.kind == EvaluationKind.FINAL else {}
    rows = []
    for criterion in criteria:
        row = {
            "criterion": criterion.code,
            "title": criterion.title,
            "domain": criterion.subdomain.domain.code,
            "subdomain": criterion.subdomain.code,
            "weight": criterion.weight,
            "mandatory": criterion.mandatory,
        }
        if criterion.pk in scope:
            latest = current.get(criterion.pk)
            row.update(
                read_only=False,
                judgement=latest.judgement if latest else None,
                comment=latest.comment if latest else "",
                revision=latest.pk if latest else None,
                by=str(latest.recorded_by) if latest else None,
                at=latest.recorded_at if latest else None,
            )
        elif evaluation.kind == EvaluationKind.FINAL:
            row.update(
                read_only=True, judgement=earlier.get(criterion.code), comment="", revision=None, by=None, at=None
            )
        else:
            continue
        rows.append(row)
    return {
        "evaluation": evaluation.public_id,
        "dossier": evaluation.dossier.public_id,
        "kind": evaluation.kind,
        "closed": evaluation.is_closed,
        "criteria": rows,
    }


def grid_response(evaluation: Evaluation) -> Response:
    evaluation = Evaluation.objects.select_related("dossier").get(pk=evaluation.pk)
    return Response(GridSerializer(grid_data(evaluation)).data)


def entries(results) -> list[services.GridEntry]:
    return [services.GridEntry(r["criterion"], r["judgement"], r["comment"], r["revision"]) for r in results]


# --- views ---------------------------------------------------------------------------------------------


class EvaluationStartView(ApiView):
    serializer_class = EvaluationStartSerializer

    @extend_schema(
        operation_id="dossiers_evaluations_create",
        summary="Commencer l'évaluation préalable ou une évaluation finale",
        description="Une évaluation finale suit une évaluation préalable clôturée et un parcours de formation, "
        "avant la date limite ; elle ne porte que sur les critères non acquis.",
        request=EvaluationStartSerializer,
        responses={201: EvaluationSerializer, **{c: ErrorSerializer for c in (400, 403, 404, 409)}},
    )
    def post(self, request, id):
        dossier = get_dossier_for_user_or_404(request.user, id)
        require_work_on(request.user, dossier)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        evaluator = data.validated_data["evaluator"] or request.user
        if (
            not Membership.objects.active()
            .filter(user=evaluator, organisation=dossier.evaluator_organisation, role__in=[Role.EVALUATOR, Role.ADMIN])
            .exists()
        ):
            raise bad_request(
                "evaluator", "L'évaluateur doit être évaluateur ou administrateur de l'organisme qui suit le dossier."
            )
        evaluation = services.start_evaluation(
            dossier, kind=data.validated_data["kind"], evaluator=evaluator, by=request.user, today=today()
        )
        evaluation = Evaluation.objects.select_related("evaluator", "referentiel_version__profile").get(
            pk=evaluation.pk
        )
        return Response(EvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)


class SittingCreateView(ApiView):
    serializer_class = SittingInputSerializer

    @extend_schema(
        operation_id="evaluations_sittings_create",
        summary="Ajouter une séance (durée totale plafonnée, sans chevauchement, sous habilitation)",
        request=SittingInputSerializer,
        responses={201: SittingSerializer, **{c: ErrorSerializer for c in (400, 403, 404, 409)}},
    )
    def post(self, request, id):
        evaluation = get_evaluation_for_user_or_404(request.user, id)
        require_work_on(request.user, evaluation.dossier)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        sitting = services.add_sitting(evaluation, by=request.user, **data.validated_data)
        return Response(SittingSerializer(sitting).data, status=status.HTTP_201_CREATED)


class GridView(ApiView):
    serializer_class = GridSerializer

    @extend_schema(
        operation_id="evaluations_grid_retrieve",
        summary="Grille de l'évaluation : chaque critère, son résultat actuel et sa révision",
        responses={200: GridSerializer, 404: ErrorSerializer},
    )
    def get(self, request, id):
        evaluation = get_evaluation_for_user_or_404(request.user, id)
        return Response(GridSerializer(grid_data(evaluation)).data)


class ResultsView(ApiView):
    serializer_class = ResultsInputSerializer

    @extend_schema(
        operation_id="evaluations_results_update",
        summary="Enregistrer des résultats (tout ou rien ; 409 si quelqu'un a modifié entre-temps)",
        description="Chaque résultat renvoie la révision lue dans la grille. Si un critère a changé depuis, rien "
        "n'est enregistré et la réponse 409 montre la saisie de l'autre personne (`stale`).",
        request=ResultsInputSerializer,
        responses={
            200: GridSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
            409: OpenApiResponse(StaleGridErrorSerializer, description="Évaluation clôturée ou grille périmée."),
        },
    )
    def put(self, request, id):
        evaluation = get_evaluation_for_user_or_404(request.user, id)
        require_work_on(request.user, evaluation.dossier)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.record_judgements(evaluation, entries(data.validated_data["results"]), by=request.user)
        return grid_response(evaluation)


class CorrectionView(ApiView):
    serializer_class = CorrectionInputSerializer

    @extend_schema(
        operation_id="evaluations_corrections_create",
        summary="Corriger des résultats d'une évaluation clôturée (avec motif)",
        request=CorrectionInputSerializer,
        responses={
            200: GridSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
            409: StaleGridErrorSerializer,
        },
    )
    def post(self, request, id):
        evaluation = get_evaluation_for_user_or_404(request.user, id)
        require_work_on(request.user, evaluation.dossier)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.record_judgements(
            evaluation,
            entries(data.validated_data["results"]),
            by=request.user,
            correction_reason=data.validated_data["reason"],
        )
        return grid_response(evaluation)


class EvaluationCloseView(ApiView):
    serializer_class = EvaluationClosedSerializer

    @extend_schema(
        operation_id="evaluations_close",
        summary="Clôturer l'évaluation : le dossier passe en formation ou prêt pour le jury",
        request=None,
        responses={200: EvaluationClosedSerializer, **{c: ErrorSerializer for c in (400, 403, 404, 409)}},
    )
    def post(self, request, id):
        evaluation = get_evaluation_for_user_or_404(request.user, id)
        require_work_on(request.user, evaluation.dossier)
        result = services.close_evaluation(evaluation, by=request.user)
        dossier = evaluation.dossier
        dossier.refresh_from_db()
        return Response(
            EvaluationClosedSerializer(
                {
                    "evaluation": evaluation.public_id,
                    "dossier": dossier.public_id,
                    "state": dossier.state,
                    "state_label": dossier.state_label,
                    "initial_assessment_date": dossier.initial_assessment_date,
                    "deadline": dossier.deadline,
                    "assessment": result,
                }
            ).data
        )
