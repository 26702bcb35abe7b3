"""Dossiers through the API: list, open, detail, information meeting, funding, jury, withdraw, close, transfer.

Views stay thin: a serializer parses the input, the dossier is fetched through ``visible_to`` (so an
object of another organisation is a 404), the permission predicate is checked (403), the service does
the work and its refusals become 400/409 with their French reason (``clea.api.errors``).
"""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch, Q
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.mixins import ListModelMixin
from rest_framework.response import Response

from clea.api.base import (
    ApiView,
    CertificationField,
    ClockTimeField,
    CommuneField,
    CommuneRefSerializer,
    CountryField,
    CountryRefSerializer,
    OrganisationRefSerializer,
    PersonSerializer,
    acting_organisation,
    bad_request,
    organisation_field,
    require,
    require_work_on,
    today,
    user_field,
)
from clea.api.errors import DuplicateErrorSerializer, ErrorSerializer
from clea.dossiers import services
from clea.dossiers.access import get_dossier_for_user_or_404, get_transfer_request_for_user_or_404
from clea.dossiers.identity import BIRTH_PLACE_MISSING, BIRTH_PLACE_TWICE, birth_place_is_missing, birth_place_is_twice
from clea.dossiers.models import (
    Candidate,
    CandidateStatus,
    Dossier,
    DossierEvent,
    InformationMeeting,
    Initiator,
    MeetingOutcome,
    TransferRequest,
)
from clea.dossiers.permissions import can_work_on_dossier
from clea.dossiers.workflow import STATE_LABELS, State
from clea.evaluations.models import Evaluation
from clea.evaluations.services import dossier_assessment
from clea.funding.models import FundingScheme, FundingState, FundingStep
from clea.funding.services import add_funding_line
from clea.geography.models import Postcode
from clea.lib import limits
from clea.lib.access import get_or_404
from clea.organisations.models import PrescriberType
from clea.training.models import TrainingPath

# --- read serializers ---------------------------------------------------------------------------------


class CandidateSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    full_name = serializers.CharField()
    birth_name = serializers.CharField()
    usage_name = serializers.CharField()
    first_names = serializers.CharField()
    sex = serializers.ChoiceField(choices=Candidate._meta.get_field("sex").choices)
    birth_date = serializers.DateField()
    birth_commune = CommuneRefSerializer(allow_null=True)
    birth_country = CountryRefSerializer(allow_null=True)
    address_line1 = serializers.CharField()
    address_line2 = serializers.CharField()
    postcode = serializers.CharField()
    commune = CommuneRefSerializer(allow_null=True)  # null once anonymised (rule 23)
    email = serializers.CharField()
    phone = serializers.CharField()


class CandidateSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    full_name = serializers.CharField()
    birth_name = serializers.CharField()
    usage_name = serializers.CharField()
    first_names = serializers.CharField()
    birth_date = serializers.DateField()


DOSSIER_STATES = [(s.value, STATE_LABELS[s]) for s in State]


class DossierSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    state = serializers.ChoiceField(choices=DOSSIER_STATES)
    state_label = serializers.CharField()
    certification = serializers.CharField(source="certification.code")
    candidate = CandidateSummarySerializer()
    evaluator_organisation = OrganisationRefSerializer()
    evaluator = PersonSerializer(allow_null=True)
    deadline = serializers.DateField(allow_null=True, help_text="Date limite de l'évaluation finale (5 ans).")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class EventSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="Nature de l'événement (opened, sitting, initial_closed…).")
    label = serializers.CharField(source="get_kind_display")
    summary = serializers.CharField(help_text="Ce qui s'est passé.")
    reason = serializers.CharField(help_text="Pourquoi (motif), s'il y en a un.")
    at = serializers.DateTimeField()
    by = PersonSerializer(allow_null=True)
    organisation = OrganisationRefSerializer(allow_null=True)


class MeetingSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    date = serializers.DateField()
    adviser = PersonSerializer()
    outcome = serializers.ChoiceField(choices=MeetingOutcome.choices)
    outcome_label = serializers.CharField(source="get_outcome_display")
    notes = serializers.CharField()


class SittingSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    date = serializers.DateField()
    start = ClockTimeField()
    end = ClockTimeField()
    duration_minutes = serializers.IntegerField()
    place = serializers.CharField()


class EvaluationSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    kind = serializers.ChoiceField(choices=Evaluation._meta.get_field("kind").choices)
    kind_label = serializers.CharField(source="get_kind_display")
    evaluator = PersonSerializer()
    started_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    total_minutes = serializers.SerializerMethodField()
    max_minutes = serializers.IntegerField(help_text="Durée maximale selon le profil de règles du référentiel.")
    sittings = SittingSerializer(many=True)

    def get_total_minutes(self, obj) -> int:
        return sum(s.duration_minutes for s in obj.sittings.all())


class ProgressNoteSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    date = serializers.DateField()
    hours_done = serializers.IntegerField()
    note = serializers.CharField()
    recorded_at = serializers.DateTimeField()
    recorded_by = PersonSerializer()


class TrainingPathSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    training_organisation = OrganisationRefSerializer()
    trainer = PersonSerializer()
    planned_hours = serializers.IntegerField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    targets = serializers.SerializerMethodField()
    proposed_at = serializers.DateTimeField()
    progress_notes = ProgressNoteSerializer(many=True)

    def get_targets(self, obj) -> list[str]:
        return [c.code for c in obj.targets.all()]


# Enumerated inline: a named enum would collide with the other "state" choice sets of the schema.
@extend_schema_field(
    {
        "type": "string",
        "enum": FundingState.values,
        "description": "planned (prévu), agreed (accordé), paid (versé) ou refused.",
    }
)
class FundingStateField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=FundingState.choices, **kwargs)


class FundingLineSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    step = serializers.ChoiceField(choices=FundingStep.choices)
    step_label = serializers.CharField(source="get_step_display")
    scheme = serializers.ChoiceField(choices=FundingScheme.choices)
    scheme_label = serializers.CharField(source="get_scheme_display")
    funder = serializers.CharField()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    state = FundingStateField()
    state_label = serializers.CharField(source="get_state_display")
    created_at = serializers.DateTimeField()


class TransferRequestSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    dossier = serializers.UUIDField(source="dossier.public_id")
    status = serializers.ChoiceField(choices=TransferRequest._meta.get_field("status").choices)
    from_organisation = OrganisationRefSerializer()
    to_organisation = OrganisationRefSerializer()
    reason = serializers.CharField()
    requested_at = serializers.DateTimeField()
    requested_by = PersonSerializer()
    answered_at = serializers.DateTimeField(allow_null=True)
    answer_reason = serializers.CharField()


class SubdomainGapSerializer(serializers.Serializer):
    code = serializers.CharField(source="spec.code")
    title = serializers.CharField(source="spec.title")
    points = serializers.IntegerField()
    total = serializers.IntegerField()
    missing_criteria = serializers.SerializerMethodField()
    explanation = serializers.CharField()

    def get_missing_criteria(self, obj) -> list[str]:
        return [c.code for c in obj.missing_criteria]


class DomainResultSerializer(serializers.Serializer):
    code = serializers.CharField(source="spec.code")
    title = serializers.CharField(source="spec.title")
    acquired = serializers.BooleanField()
    points = serializers.IntegerField()
    total = serializers.IntegerField()
    missing_subdomains = SubdomainGapSerializer(many=True)
    explanation = serializers.CharField()


class AssessmentSerializer(serializers.Serializer):
    """What the decision engine says from the closed evaluations (latest judgement of each criterion)."""

    eligible = serializers.BooleanField(help_text="Tous les domaines acquis et seuil de points atteint.")
    complete = serializers.BooleanField(help_text="Chaque critère a été jugé.")
    points = serializers.IntegerField()
    total = serializers.IntegerField()
    points_met = serializers.BooleanField()
    domains = DomainResultSerializer(many=True)
    missing_criteria = serializers.SerializerMethodField()
    explanation = serializers.ListField(child=serializers.CharField())

    def get_missing_criteria(self, obj) -> list[str]:
        return [c.code for c in obj.missing_criteria]


class DossierDetailSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    state = serializers.ChoiceField(choices=DOSSIER_STATES)
    state_label = serializers.CharField()
    certification = serializers.CharField(source="certification.code")
    referentiel_version = serializers.IntegerField(source="referentiel_version.number")
    evaluator_organisation = OrganisationRefSerializer()
    evaluator = PersonSerializer(allow_null=True)
    candidate = CandidateSerializer()
    candidate_status = serializers.ChoiceField(choices=CandidateStatus.choices)
    initiator = serializers.ChoiceField(choices=Initiator.choices)
    prescriber_type = serializers.ChoiceField(choices=PrescriberType.choices, allow_blank=True)
    prescriber = OrganisationRefSerializer(allow_null=True)
    employer = OrganisationRefSerializer(allow_null=True)
    consent_at = serializers.DateTimeField()
    initial_assessment_date = serializers.DateField(allow_null=True)
    deadline = serializers.DateField(allow_null=True, help_text="Date limite de l'évaluation finale (5 ans).")
    created_at = serializers.DateTimeField()
    timeline = EventSerializer(many=True, source="events.all")
    meetings = MeetingSerializer(many=True, source="meetings.all")
    evaluations = EvaluationSerializer(many=True, source="evaluations.all")
    training_paths = TrainingPathSerializer(many=True, source="training_paths.all")
    funding_lines = FundingLineSerializer(many=True, source="funding_lines.all")
    transfer_requests = TransferRequestSerializer(many=True, source="transfer_requests.all")
    assessment = serializers.SerializerMethodField()

    @extend_schema_field(AssessmentSerializer)
    def get_assessment(self, obj):
        return AssessmentSerializer(dossier_assessment(obj)).data


def detail_queryset(user):
    return (
        Dossier.objects.visible_to(user)
        .select_related(
            "candidate__commune",
            "candidate__birth_commune",
            "candidate__birth_country",
            "certification",
            "referentiel_version",
            "evaluator_organisation",
            "evaluator",
            "employer",
            "prescriber",
        )
        .prefetch_related(
            Prefetch("events", queryset=DossierEvent.objects.select_related("by", "organisation")),
            Prefetch("meetings", queryset=InformationMeeting.objects.select_related("adviser")),
            Prefetch(
                "evaluations",
                queryset=Evaluation.objects.select_related("evaluator", "referentiel_version__profile"),
            ),
            "evaluations__sittings",
            Prefetch(
                "training_paths", queryset=TrainingPath.objects.select_related("training_organisation", "trainer")
            ),
            "training_paths__targets",
            "training_paths__progress_notes__recorded_by",
            "funding_lines",
            Prefetch(
                "transfer_requests",
                queryset=TransferRequest.objects.select_related("from_organisation", "to_organisation", "requested_by"),
            ),
        )
    )


def dossier_response(request, dossier: Dossier, code: int = status.HTTP_200_OK) -> Response:
    fresh = detail_queryset(request.user).get(pk=dossier.pk)
    return Response(DossierDetailSerializer(fresh).data, status=code)


# --- input serializers --------------------------------------------------------------------------------


class CandidateInputSerializer(serializers.ModelSerializer):
    birth_commune = CommuneField(required=False, allow_null=True, help_text="Code INSEE (si né en France).")
    birth_country = CountryField(
        required=False, allow_null=True, help_text="Code INSEE du pays, 99XXX (si né hors de France)."
    )
    commune = CommuneField(help_text="Code INSEE de la commune de résidence.")

    class Meta:
        model = Candidate
        fields = [
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
        ]

    def validate(self, attrs):
        if birth_place_is_missing(attrs.get("birth_commune"), attrs.get("birth_country")):
            raise bad_request("birth_country", BIRTH_PLACE_MISSING)
        if birth_place_is_twice(attrs.get("birth_commune"), attrs.get("birth_country")):
            raise bad_request("birth_country", BIRTH_PLACE_TWICE)
        if not Postcode.objects.filter(code=attrs["postcode"]).exists():
            raise bad_request("postcode", "Ce code postal n'existe pas.")
        if not Postcode.objects.filter(code=attrs["postcode"], commune=attrs["commune"]).exists():
            raise bad_request("commune", "Cette commune ne correspond pas au code postal.")
        return attrs


class DossierOpenSerializer(serializers.Serializer):
    organisation = organisation_field(
        required=False,
        allow_null=True,
        help_text="Organisme évaluateur pour lequel vous agissez (par défaut : l'organisme courant).",
    )
    certification = CertificationField()
    candidate = CandidateInputSerializer()
    candidate_status = serializers.ChoiceField(choices=CandidateStatus.choices)
    initiator = serializers.ChoiceField(choices=Initiator.choices)
    prescriber_type = serializers.ChoiceField(
        choices=PrescriberType.choices, required=False, allow_blank=True, default=""
    )
    prescriber = organisation_field(required=False, allow_null=True, default=None)
    employer = organisation_field(required=False, allow_null=True, default=None)
    consent = serializers.BooleanField(help_text="Consentement du candidat recueilli (obligatoire).")
    evaluator = user_field(required=False, allow_null=True, default=None, help_text="Évaluateur référent.")


class MeetingInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    adviser = user_field(
        required=False, allow_null=True, default=None, help_text="Conseiller qui a tenu la réunion (par défaut : vous)."
    )
    outcome = serializers.ChoiceField(choices=MeetingOutcome.choices)
    notes = serializers.CharField(max_length=limits.NOTE, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=limits.REASON, allow_blank=True, help_text="Motif (obligatoire).")


class SubmitSerializer(serializers.Serializer):
    summary = serializers.CharField(
        max_length=limits.NOTE, required=False, allow_blank=True, default="", help_text="Synthèse pour le jury."
    )


class FundingLineInputSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=FundingStep.choices)
    scheme = serializers.ChoiceField(choices=FundingScheme.choices)
    funder = serializers.CharField(max_length=255)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    state = FundingStateField(required=False, default=FundingState.PLANNED)


class IdentitySerializer(serializers.Serializer):
    birth_name = serializers.CharField(max_length=150)
    first_names = serializers.CharField(max_length=200)
    birth_date = serializers.DateField()


class TransferRequestInputSerializer(serializers.Serializer):
    organisation = organisation_field(
        required=False,
        allow_null=True,
        help_text="Organisme évaluateur qui reprend le dossier (par défaut : l'organisme courant).",
    )
    certification = CertificationField()
    candidate = IdentitySerializer()
    reason = serializers.CharField(max_length=limits.REASON, allow_blank=True)


class TransferAnswerSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(
        max_length=limits.REASON,
        required=False,
        allow_blank=True,
        default="",
        help_text="Motif (obligatoire en cas de refus).",
    )


# --- filters ------------------------------------------------------------------------------------------


class DossierFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=DOSSIER_STATES, help_text="État du dossier.")
    certification = django_filters.CharFilter(field_name="certification__code", help_text="Code de la certification.")
    evaluator = django_filters.UUIDFilter(field_name="evaluator__public_id", help_text="Évaluateur référent.")
    organisation = django_filters.UUIDFilter(
        field_name="evaluator_organisation__public_id", help_text="Organisme évaluateur qui suit le dossier."
    )
    deadline_before = django_filters.DateFilter(
        method="filter_deadline_before", help_text="Dossiers dont la date limite tombe au plus tard ce jour-là."
    )

    class Meta:
        model = Dossier
        fields: list[str] = []

    def filter_deadline_before(self, queryset, name, value):
        return queryset.deadline_before(value)


class DossierSearchFilter(DossierFilter):
    """Search by name travels in a POST body: a candidate's name never goes into a URL or an access log."""

    q = django_filters.CharFilter(method="search", help_text="Recherche sur les noms et prénoms du candidat.")

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(candidate__birth_name__icontains=word)
                | Q(candidate__usage_name__icontains=word)
                | Q(candidate__first_names__icontains=word)
            )
        return queryset


# --- views ---------------------------------------------------------------------------------------------


class DossierListView(ListModelMixin, ApiView):
    serializer_class = DossierSummarySerializer
    filterset_class = DossierFilter
    queryset = Dossier.objects.none()

    def get_queryset(self):
        return (
            Dossier.objects.visible_to(self.request.user)
            .select_related("candidate", "certification", "evaluator_organisation", "evaluator")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(
        operation_id="dossiers_list",
        summary="Dossiers visibles, filtrables par état, certification, évaluateur, date limite et nom",
    )
    def get(self, request):
        return self.list(request)

    @extend_schema(
        operation_id="dossiers_create",
        summary="Ouvrir le dossier d'un candidat",
        description="Crée le candidat et son dossier dans l'organisme évaluateur. Un doublon (même personne, "
        "dossier ouvert ailleurs pour la même certification) est refusé en 409 avec l'organisme qui le suit.",
        request=DossierOpenSerializer,
        responses={
            201: DossierDetailSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Données invalides ou règle non respectée."),
            403: ErrorSerializer,
            409: DuplicateErrorSerializer,
        },
    )
    def post(self, request):
        data = DossierOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        organisation = acting_organisation(request, values.get("organisation"))
        dossier = services.open_dossier(
            organisation=organisation,
            certification=values["certification"],
            candidate=dict(values["candidate"]),
            candidate_status=values["candidate_status"],
            initiator=values["initiator"],
            prescriber_type=values["prescriber_type"],
            prescriber=values["prescriber"],
            employer=values["employer"],
            consent=values["consent"],
            evaluator=values["evaluator"],
            by=request.user,
            today=today(),
        )
        return dossier_response(request, dossier, status.HTTP_201_CREATED)


class DossierSearchSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=limits.SEARCH, required=False, allow_blank=True, help_text="Noms et prénoms du candidat."
    )
    state = serializers.ChoiceField(choices=DOSSIER_STATES, required=False)
    certification = serializers.CharField(max_length=30, required=False)
    evaluator = serializers.UUIDField(required=False)
    organisation = serializers.UUIDField(required=False)
    deadline_before = serializers.DateField(required=False)


class DossierSearchView(ListModelMixin, ApiView):
    serializer_class = DossierSummarySerializer
    queryset = Dossier.objects.none()

    def get_queryset(self):
        return DossierListView.get_queryset(self)

    @extend_schema(
        operation_id="dossiers_search",
        summary="Rechercher des dossiers par nom du candidat (et les mêmes filtres que la liste)",
        description="Le nom est envoyé dans le corps de la requête, jamais dans l'URL. La page se choisit "
        "avec le paramètre ?page=.",
        request=DossierSearchSerializer,
        responses={200: DossierSummarySerializer(many=True), 400: ErrorSerializer},
    )
    def post(self, request):
        # Typed by the serializer first (a list or an object where a text is expected is a 400), then
        # handed to the list's filters as the strings they read from a query string.
        search = DossierSearchSerializer(data=request.data)
        search.is_valid(raise_exception=True)
        values = {name: str(value) for name, value in search.validated_data.items()}
        filters = DossierSearchFilter(values, queryset=self.get_queryset(), request=request)
        if not filters.is_valid():
            raise serializers.ValidationError(filters.errors)
        page = self.paginate_queryset(filters.qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class DossierDetailView(ApiView):
    serializer_class = DossierDetailSerializer

    @extend_schema(
        operation_id="dossiers_retrieve",
        summary="Dossier complet : état, candidat, historique, évaluations, parcours, financements, résultat",
        responses={200: DossierDetailSerializer, 404: ErrorSerializer},
    )
    def get(self, request, id):
        dossier = get_or_404(detail_queryset(request.user), id, "Dossier introuvable.")
        return Response(DossierDetailSerializer(dossier).data)


class MeetingCreateView(ApiView):
    serializer_class = MeetingInputSerializer

    @extend_schema(
        operation_id="dossiers_meetings_create",
        summary="Enregistrer la réunion d'information",
        request=MeetingInputSerializer,
        responses={201: MeetingSerializer, **{c: ErrorSerializer for c in (400, 403, 404, 409)}},
    )
    def post(self, request, id):
        dossier = get_dossier_for_user_or_404(request.user, id)
        require_work_on(request.user, dossier)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        meeting = services.record_meeting(
            dossier,
            date=values["date"],
            adviser=values["adviser"] or request.user,
            outcome=values["outcome"],
            notes=values["notes"],
            by=request.user,
            today=today(),
        )
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


class FundingLineCreateView(ApiView):
    serializer_class = FundingLineInputSerializer

    @extend_schema(
        operation_id="dossiers_funding_lines_create",
        summary="Ajouter une ligne de financement (évaluation, formation ou évaluation finale)",
        request=FundingLineInputSerializer,
        responses={201: FundingLineSerializer, **{c: ErrorSerializer for c in (400, 403, 404)}},
    )
    def post(self, request, id):
        dossier = get_dossier_for_user_or_404(request.user, id)
        require_work_on(request.user, dossier)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        line = add_funding_line(dossier, by=request.user, **data.validated_data)
        return Response(FundingLineSerializer(line).data, status=status.HTTP_201_CREATED)


class SubmitView(ApiView):
    serializer_class = SubmitSerializer

    @extend_schema(
        operation_id="dossiers_submit",
        summary="Présenter le dossier au jury (tous les domaines acquis)",
        request=SubmitSerializer,
        responses={200: DossierDetailSerializer, **{c: ErrorSerializer for c in (400, 403, 404, 409)}},
    )
    def post(self, request, id):
        dossier = get_dossier_for_user_or_404(request.user, id)
        require_work_on(request.user, dossier)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.submit_to_jury(dossier, by=request.user, summary=data.validated_data["summary"])
        return dossier_response(request, dossier)


class ReasonActionView(ApiView):
    """A transition of the dossier that needs a reason (withdrawal, closing)."""

    serializer_class = ReasonSerializer

    def act_with_reason(self, request, id, action):
        dossier = get_dossier_for_user_or_404(request.user, id)
        require_work_on(request.user, dossier)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        action(dossier, reason=data.validated_data["reason"], by=request.user)
        return dossier_response(request, dossier)


class WithdrawView(ReasonActionView):
    @extend_schema(
        operation_id="dossiers_withdraw",
        summary="Enregistrer l'abandon du candidat (avec motif)",
        request=ReasonSerializer,
        responses={200: DossierDetailSerializer, **{c: ErrorSerializer for c in (400, 403, 404, 409)}},
    )
    def post(self, request, id):
        return self.act_with_reason(request, id, services.withdraw)


class CloseView(ReasonActionView):
    @extend_schema(
        operation_id="dossiers_close",
        summary="Clôturer le dossier sans certification (avec motif)",
        request=ReasonSerializer,
        responses={200: DossierDetailSerializer, **{c: ErrorSerializer for c in (400, 403, 404, 409)}},
    )
    def post(self, request, id):
        return self.act_with_reason(request, id, services.close_without_certification)


class TransferRequestCreateView(ApiView):
    serializer_class = TransferRequestInputSerializer

    @extend_schema(
        operation_id="transfer_requests_create",
        summary="Demander le transfert du dossier ouvert d'une personne vers votre organisme",
        request=TransferRequestInputSerializer,
        responses={201: TransferRequestSerializer, **{c: ErrorSerializer for c in (400, 403, 409)}},
    )
    def post(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        organisation = acting_organisation(request, values.get("organisation"))
        transfer = services.request_transfer(
            organisation=organisation,
            certification=values["certification"],
            candidate_identity=dict(values["candidate"]),
            reason=values["reason"],
            by=request.user,
        )
        return Response(TransferRequestSerializer(transfer).data, status=status.HTTP_201_CREATED)


class TransferAnswerView(ApiView):
    serializer_class = TransferAnswerSerializer

    @extend_schema(
        operation_id="transfer_requests_answer",
        summary="Accepter ou refuser une demande de transfert (organisme qui suit le dossier)",
        request=TransferAnswerSerializer,
        responses={200: TransferRequestSerializer, **{c: ErrorSerializer for c in (400, 403, 404, 409)}},
    )
    def post(self, request, id):
        transfer = get_transfer_request_for_user_or_404(request.user, id)
        require(
            can_work_on_dossier(request.user, transfer.dossier),
            "Seul l'organisme qui suit le dossier répond à une demande de transfert.",
        )
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        answered = services.answer_transfer(transfer, by=request.user, **data.validated_data)
        answered = TransferRequest.objects.select_related(
            "dossier", "from_organisation", "to_organisation", "requested_by"
        ).get(pk=answered.pk)
        return Response(TransferRequestSerializer(answered).data)
