"""Jury sessions through the API: plan, seat members, record attendance, put dossiers on, deliberate, sign.

Same rules as the screens (``clea.jury.views``): a session is found through ``visible_to`` (the organiser's
staff, the session's members and the certifier; anyone else gets a 404), only the organiser acts on it
(``can_organise``, else 403), and the services' refusals come back as 400/409 with their French reason
(quorum, closed session, ineligible dossier, votes).
"""

from __future__ import annotations

import django_filters
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import renderers, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.mixins import ListModelMixin
from rest_framework.response import Response

from clea.api.base import (
    ERRORS,
    ApiView,
    CertificationField,
    ClockTimeField,
    CodeField,
    OrganisationRefSerializer,
    PersonSerializer,
    bad_request,
    organisation_field,
    require,
    today,
)
from clea.api.dossiers import (
    DOSSIER_STATES,
)
from clea.api.errors import ErrorSerializer
from clea.dossiers.models import Dossier
from clea.geography.models import Region
from clea.jury import services
from clea.jury.access import get_jury_session_for_user_or_404, get_session_entry_or_404
from clea.jury.models import College, JuryMember, JurySession, Outcome, SessionDossier, SessionStatus
from clea.jury.permissions import can_organise, organiser_organisations
from clea.lib import limits
from clea.lib.errors import Conflict
from clea.referentiel.models import Certification

NOT_ORGANISER = "Réservé à l'organisateur du jury."
QUORUM_REACHED = "Quorum atteint : chaque collège a des membres présents."


def sessions_queryset(user):
    """Visible sessions with what a list shows, in a constant number of queries."""
    return (
        JurySession.objects.visible_to(user)
        .select_related("organiser", "region", "closed_by")
        .defer("minutes")
        .prefetch_related(Prefetch("certifications", queryset=Certification.objects.order_by("code")))
        .annotate(
            dossier_count=Count("entries", distinct=True),
            decided_count=Count("entries", filter=Q(entries__decision__isnull=False), distinct=True),
        )
        .order_by("-date", "-pk")
    )


def entries_queryset():
    return (
        SessionDossier.objects.select_related(
            "dossier__candidate",
            "dossier__certification",
            "dossier__evaluator_organisation",
            "decision__decided_by",
        )
        .prefetch_related("decision__excluded_members")
        .order_by("pk")
    )


def get_organised_session_or_404(user, public_id) -> JurySession:
    """The session, if visible (else 404), for its organiser only (else 403)."""
    session = get_jury_session_for_user_or_404(user, public_id)
    require(can_organise(user, session), NOT_ORGANISER)
    return session


def session_detail(user, session: JurySession) -> dict:
    """Everything the session page shows: members and presence, quorum, entries, dossiers waiting."""
    session = (
        sessions_queryset(user)
        .prefetch_related(
            Prefetch("members", queryset=JuryMember.objects.select_related("organisation")),
            Prefetch("entries", queryset=entries_queryset()),
        )
        .get(pk=session.pk)
    )
    organiser = can_organise(user, session)
    problem = services.session_quorum_problem(session)
    # Read by JurySessionDetailSerializer: what the page shows beside the stored session.
    session.quorum = {"reached": problem is None, "message": problem or QUORUM_REACHED}  # type: ignore[attr-defined]
    session.can_organise = organiser  # type: ignore[attr-defined]
    awaiting = list(services.awaiting_in_region(session)) if organiser and not session.is_closed else []
    session.awaiting = awaiting  # type: ignore[attr-defined]
    return JurySessionDetailSerializer(session).data


def detail_response(request, session: JurySession, code: int = status.HTTP_200_OK) -> Response:
    return Response(session_detail(request.user, session), status=code)


def entries_response(entries, code: int) -> Response:
    fresh = entries_queryset().filter(pk__in=[e.pk for e in entries])
    return Response(SessionEntrySerializer(fresh, many=True).data, status=code)


# --- read serializers ---------------------------------------------------------------------------------


# Enumerated inline: "outcome" and "status" already name other choice sets in the schema (meetings,
# transfers), as for FundingStateField.
@extend_schema_field(
    {
        "type": "string",
        "enum": Outcome.values,
        "description": "awarded (certification délivrée), not_awarded (non délivrée) ou adjourned (ajourné).",
    }
)
class OutcomeField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Outcome.choices, **kwargs)


@extend_schema_field(
    {
        "type": "string",
        "enum": SessionStatus.values,
        "description": "planned (prévue) ou closed (close, procès-verbal signé).",
    }
)
class SessionStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=SessionStatus.choices, **kwargs)


class RegionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code INSEE de la région.")
    name = serializers.CharField()


class JurySessionSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    date = serializers.DateField()
    start = ClockTimeField(allow_null=True)
    place = serializers.CharField()
    remote = serializers.BooleanField()
    region = RegionSerializer()
    organiser = OrganisationRefSerializer()
    certifications = serializers.SerializerMethodField(help_text="Codes des certifications examinées.")
    status = SessionStatusField()
    status_label = serializers.CharField(source="get_status_display")
    dossier_count = serializers.IntegerField(help_text="Dossiers inscrits à la session.")
    decided_count = serializers.IntegerField(help_text="Dossiers qui ont reçu leur décision.")
    closed_at = serializers.DateTimeField(allow_null=True)
    minutes_sha256 = serializers.CharField(
        help_text="Empreinte SHA-256 du procès-verbal signé (vide tant que la session n'est pas close)."
    )

    def get_certifications(self, obj) -> list[str]:
        return [c.code for c in obj.certifications.all()]


class MemberRefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    full_name = serializers.CharField()


class JuryMemberSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    full_name = serializers.CharField()
    college = serializers.ChoiceField(choices=College.choices)
    college_label = serializers.CharField(source="get_college_display")
    organisation = OrganisationRefSerializer(
        allow_null=True, help_text="Organisation représentée : le membre ne vote pas sur les dossiers qui la touchent."
    )
    present = serializers.BooleanField()
    attendance_recorded_at = serializers.DateTimeField(allow_null=True)


class QuorumSerializer(serializers.Serializer):
    reached = serializers.BooleanField(help_text="Chaque collège compte assez de membres présents pour décider.")
    message = serializers.CharField(help_text="Ce qui manque, en français, ou la confirmation du quorum.")


class JuryDossierSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    state = serializers.ChoiceField(choices=DOSSIER_STATES)
    state_label = serializers.CharField()
    certification = serializers.CharField(source="certification.code")
    candidate = serializers.CharField(source="candidate.full_name", help_text="Prénom et nom du candidat.")
    evaluator_organisation = OrganisationRefSerializer()


class DecisionSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    outcome = OutcomeField()
    outcome_label = serializers.CharField(source="get_outcome_display")
    reasons = serializers.CharField()
    votes_for = serializers.IntegerField()
    votes_against = serializers.IntegerField()
    votes_abstain = serializers.IntegerField()
    excluded_members = MemberRefSerializer(
        many=True,
        source="excluded_members.all",
        help_text="Membres présents qui n'ont pas voté (issus de l'employeur ou de l'organisme évaluateur).",
    )
    decided_at = serializers.DateTimeField()
    decided_by = PersonSerializer()


class SessionEntrySerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    dossier = JuryDossierSerializer()
    added_at = serializers.DateTimeField()
    precheck_problems = serializers.ListField(
        child=serializers.CharField(), help_text="Anomalies du contrôle automatique, au moment de l'inscription."
    )
    precheck_at = serializers.DateTimeField(allow_null=True)
    clean = serializers.BooleanField(source="is_clean", help_text="Aucune anomalie : décision commune possible.")
    decision = serializers.SerializerMethodField()

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, obj):
        decision = getattr(obj, "decision", None)
        return DecisionSerializer(decision).data if decision is not None else None


class JurySessionDetailSerializer(JurySessionSerializer):
    closed_by = PersonSerializer(allow_null=True)
    can_organise = serializers.BooleanField(help_text="Vous pouvez agir sur cette session (organisateur).")
    members = JuryMemberSerializer(many=True, source="members.all")
    quorum = QuorumSerializer()
    entries = SessionEntrySerializer(many=True, source="entries.all")
    awaiting = JuryDossierSerializer(
        many=True,
        help_text="Dossiers en attente de jury dans la région, pour les certifications de la session "
        "(organisateur seulement, session non close).",
    )


# --- input serializers --------------------------------------------------------------------------------


class RegionField(CodeField):
    default_error_messages = {"does_not_exist": "Aucune région n'a le code {value}.", "invalid": "Code invalide."}

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Region.objects.all(), **kwargs)


class SessionInputSerializer(serializers.Serializer):
    organiser = organisation_field(
        required=False,
        allow_null=True,
        default=None,
        help_text="Organisateur de jury pour lequel vous agissez (par défaut : l'organisme courant).",
    )
    date = serializers.DateField()
    start = ClockTimeField(required=False, allow_null=True, default=None, help_text="Heure (HH:MM).")
    remote = serializers.BooleanField(required=False, default=False, help_text="Session à distance.")
    place = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default="", help_text="Lieu (obligatoire sur place)."
    )
    region = RegionField(help_text="Code INSEE de la région.")
    certifications = CertificationField(many=True, help_text="Codes des certifications (CLEA, CLEA_NUMERIQUE).")


class MemberInputSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=255, allow_blank=True, help_text="Nom et prénom.")
    college = serializers.ChoiceField(choices=College.choices)
    organisation = organisation_field(
        required=False,
        allow_null=True,
        default=None,
        help_text="Organisation représentée (facultatif) : un membre issu de l'employeur ou de l'organisme "
        "évaluateur d'un candidat ne vote pas sur son dossier.",
    )


class AttendanceInputSerializer(serializers.Serializer):
    present = serializers.ListField(
        child=serializers.UUIDField(),
        help_text="Identifiants des membres présents ; les autres membres sont notés absents.",
    )


class PutOnSessionInputSerializer(serializers.Serializer):
    dossiers = serializers.ListField(
        child=serializers.UUIDField(),
        allow_empty=False,
        error_messages={"empty": "Choisissez au moins un dossier."},
        help_text="Identifiants des dossiers en attente de jury (voir `awaiting` dans le détail de la session).",
    )


class DecisionInputSerializer(serializers.Serializer):
    outcome = OutcomeField()
    reasons = serializers.CharField(
        max_length=limits.REASON,
        required=False,
        allow_blank=True,
        default="",
        help_text="Motifs (obligatoires sauf pour une certification).",
    )
    votes_for = serializers.IntegerField(min_value=0, max_value=99)
    votes_against = serializers.IntegerField(min_value=0, max_value=99, required=False, default=0)
    votes_abstain = serializers.IntegerField(min_value=0, max_value=99, required=False, default=0)


# --- filters ------------------------------------------------------------------------------------------


class JurySessionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SessionStatus.choices, help_text="Prévue ou close.")
    region = django_filters.CharFilter(field_name="region__code", help_text="Code INSEE de la région.")

    class Meta:
        model = JurySession
        fields: list[str] = []


# --- views ---------------------------------------------------------------------------------------------


def acting_organiser(request, chosen):
    """The jury organiser the user plans for: the one named, else the current organisation, else their first."""
    organisers = organiser_organisations(request.user)
    if not organisers:
        raise PermissionDenied("Réservé aux organisateurs de jury.")
    if chosen is not None:
        if chosen.pk not in {o.pk for o in organisers}:
            raise PermissionDenied("Vous n'agissez pas pour cet organisme.")
        return chosen
    current = request.current.organisation
    return next((o for o in organisers if current is not None and o.pk == current.pk), organisers[0])


class JurySessionListView(ListModelMixin, ApiView):
    serializer_class = JurySessionSerializer
    filterset_class = JurySessionFilter
    queryset = JurySession.objects.none()

    def get_queryset(self):
        return sessions_queryset(self.request.user)

    @extend_schema(
        operation_id="jury_sessions_list",
        summary="Sessions de jury visibles (organisateur, membres, certificateur), les plus récentes d'abord",
    )
    def get(self, request):
        return self.list(request)

    @extend_schema(
        operation_id="jury_sessions_create",
        summary="Planifier une session de jury (organisateur de jury)",
        request=SessionInputSerializer,
        responses={201: JurySessionDetailSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
    )
    def post(self, request):
        data = SessionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        organiser = acting_organiser(request, values.pop("organiser"))
        session = services.create_session(organiser=organiser, by=request.user, **values)
        return detail_response(request, session, status.HTTP_201_CREATED)


class JurySessionDetailView(ApiView):
    serializer_class = JurySessionDetailSerializer

    @extend_schema(
        operation_id="jury_sessions_retrieve",
        summary="Session de jury : membres et présences, quorum, dossiers inscrits et décisions",
        responses={200: JurySessionDetailSerializer, 404: ErrorSerializer},
    )
    def get(self, request, id):
        return detail_response(request, get_jury_session_for_user_or_404(request.user, id))


class MemberCreateView(ApiView):
    serializer_class = MemberInputSerializer

    @extend_schema(
        operation_id="jury_sessions_members_create",
        summary="Ajouter un membre du jury (collège employeurs ou salariés)",
        request=MemberInputSerializer,
        responses={201: JuryMemberSerializer, **ERRORS},
    )
    def post(self, request, id):
        session = get_organised_session_or_404(request.user, id)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = services.add_member(session, **data.validated_data)
        member = JuryMember.objects.select_related("organisation").get(pk=member.pk)
        return Response(JuryMemberSerializer(member).data, status=status.HTTP_201_CREATED)


class AttendanceView(ApiView):
    serializer_class = AttendanceInputSerializer

    @extend_schema(
        operation_id="jury_sessions_attendance_update",
        summary="Enregistrer les présences (la liste complète des membres présents)",
        request=AttendanceInputSerializer,
        responses={200: JurySessionDetailSerializer, **ERRORS},
    )
    def put(self, request, id):
        session = get_organised_session_or_404(request.user, id)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        members = dict(session.members.values_list("public_id", "pk"))
        unknown = [str(u) for u in data.validated_data["present"] if u not in members]
        if unknown:
            raise bad_request("present", f"Aucun membre de cette session ne correspond à l'identifiant {unknown[0]}.")
        present = {members[u] for u in data.validated_data["present"]}
        services.record_attendance(session, present_ids=present, by=request.user)
        return detail_response(request, session)


class SessionDossiersView(ApiView):
    serializer_class = PutOnSessionInputSerializer
    # The answer lists the new entries: neither paginated nor filtered.
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        operation_id="jury_sessions_dossiers_create",
        summary="Inscrire des dossiers en attente de jury à la session (contrôle automatique de chacun)",
        description="Tout ou rien. Un dossier se choisit parmi ceux en attente de jury dans la région de la "
        "session, pour ses certifications ; chaque inscription enregistre les anomalies du contrôle automatique.",
        request=PutOnSessionInputSerializer,
        responses={201: SessionEntrySerializer(many=True), **ERRORS},
    )
    def post(self, request, id):
        session = get_organised_session_or_404(request.user, id)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        wanted = list(dict.fromkeys(data.validated_data["dossiers"]))
        # Only dossiers the session may take (or already took) are named: others are unknown, never described.
        candidates = {
            d.public_id: d
            for d in Dossier.objects.filter(public_id__in=wanted).filter(
                Q(pk__in=services.awaiting_in_region(session).values("pk")) | Q(jury_entries__session=session)
            )
        }
        unknown = [str(u) for u in wanted if u not in candidates]
        if unknown:
            raise bad_request(
                "dossiers",
                f"Aucun dossier en attente de jury dans la région de la session ne correspond à l'identifiant "
                f"{unknown[0]}.",
            )
        entries = services.put_on_session(session, [candidates[u] for u in wanted], by=request.user)
        return entries_response(entries, status.HTTP_201_CREATED)


class DecisionView(ApiView):
    serializer_class = DecisionInputSerializer

    @extend_schema(
        operation_id="jury_sessions_decision_create",
        summary="Enregistrer la décision du jury sur un dossier (quorum, majorité absolue, éligibilité)",
        description="Une décision par dossier, jamais modifiée. Refusée en 409 sans quorum, sur une session "
        "close ou pour certifier un dossier que le moteur de décision ne déclare pas éligible ; en 400 si les "
        "voix ne font pas la majorité absolue des votants (les membres issus de l'employeur ou de l'organisme "
        "évaluateur ne votent pas) ou si les motifs manquent.",
        request=DecisionInputSerializer,
        responses={201: SessionEntrySerializer, **ERRORS},
    )
    def post(self, request, id, entry_id):
        session = get_organised_session_or_404(request.user, id)
        entry = get_session_entry_or_404(session, entry_id)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.decide(entry, by=request.user, today=today(), **data.validated_data)
        entry = entries_queryset().get(pk=entry.pk)
        return Response(SessionEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class AwardCleanView(ApiView):
    serializer_class = JurySessionDetailSerializer

    @extend_schema(
        operation_id="jury_sessions_award_clean",
        summary="Certifier en une fois les dossiers sans anomalie (une décision enregistrée pour chacun)",
        description="Chaque dossier sans anomalie et sans décision reçoit sa propre décision, à l'unanimité des "
        "membres présents qui peuvent voter sur lui. Tout ou rien.",
        request=None,
        responses={200: JurySessionDetailSerializer, **ERRORS},
    )
    def post(self, request, id):
        session = get_organised_session_or_404(request.user, id)
        services.require_open(session)
        entries = [e for e in session.entries.select_related("dossier__candidate", "decision") if e.is_clean]
        entries = [e for e in entries if getattr(e, "decision", None) is None]
        if not entries:
            raise Conflict("Aucun dossier sans anomalie à décider.")
        services.award_clean_together(session, entries, by=request.user, today=today())
        return detail_response(request, session)


class SessionCloseView(ApiView):
    serializer_class = JurySessionDetailSerializer

    @extend_schema(
        operation_id="jury_sessions_close",
        summary="Clore la session et signer le procès-verbal (tous les dossiers décidés)",
        description="La session et ses décisions ne changent plus ; la réponse donne l'empreinte SHA-256 du "
        "procès-verbal signé (`minutes_sha256`).",
        request=None,
        responses={200: JurySessionDetailSerializer, **{c: ErrorSerializer for c in (403, 404, 409)}},
    )
    def post(self, request, id):
        session = get_organised_session_or_404(request.user, id)
        services.close_session(session, by=request.user, today=today())
        return detail_response(request, session)


class PdfRenderer(renderers.BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class MinutesView(ApiView):
    # A client may ask for application/pdf; errors are still answered in JSON.
    renderer_classes = [renderers.JSONRenderer, PdfRenderer]

    @extend_schema(
        operation_id="jury_sessions_minutes_retrieve",
        summary="Procès-verbal de la session (PDF) : signé si la session est close, sinon brouillon",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="Procès-verbal (PDF/UA)."),
            (404, "application/json"): ErrorSerializer,
        },
    )
    def get(self, request, id):
        session = get_jury_session_for_user_or_404(request.user, id)
        if session.is_closed:
            pdf = JurySession.objects.values_list("minutes", flat=True).get(pk=session.pk)
            assert pdf is not None  # close_session stores the signed minutes with the closed status
        else:
            pdf = services.minutes_pdf(session)
        response = HttpResponse(bytes(pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="proces-verbal-jury-{session.date:%Y-%m-%d}.pdf"'
        return response

    def handle_exception(self, exc):
        self.request.accepted_renderer, self.request.accepted_media_type = renderers.JSONRenderer(), "application/json"
        return super().handle_exception(exc)
