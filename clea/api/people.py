"""Referrals, absence requests, funding lines and the public directory through the API.

Same rules as the screens (``clea.referrals.views``, ``clea.absences.views``,
``clea.funding.views``, ``clea.directory.views``): an object is found through its ``visible_to`` queryset
(anyone else gets a 404), the permission predicate says who acts on it (else 403), and the services'
refusals come back as 400/409 with their French reason (``clea.api.errors``). The directory is public:
no account, no authentication class, the same search as the /annuaire/ page.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NoReturn

import django_filters
from django.db.models import Q
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.mixins import ListModelMixin
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from clea.absences import services as absences
from clea.absences.access import absence_requests_for, get_absence_request_for_user_or_404
from clea.absences.models import AbsenceRequest, AbsenceStatus
from clea.absences.permissions import can_answer_absence, employer_organisations
from clea.absences.rules import absence_dates
from clea.api.dossiers import (
    DOSSIER_STATES,
    ApiView,
    CandidateInputSerializer,
    CertificationField,
    CommuneRefSerializer,
    DossierDetailSerializer,
    FundingLineCreateView,
    FundingLineSerializer,
    OrganisationRefSerializer,
    PersonSerializer,
    ReasonSerializer,
    dossier_response,
    organisation_field,
    require,
    require_work_on,
    today,
    user_field,
    visible_dossier_ids,
)
from clea.api.errors import DuplicateErrorSerializer, ErrorSerializer
from clea.api.jury import RegionSerializer
from clea.directory.search import Place, search
from clea.dossiers.access import get_dossier_for_user_or_404
from clea.dossiers.models import CandidateStatus, Dossier
from clea.dossiers.permissions import can_open_dossier
from clea.evaluations.services import shared_referral_results
from clea.funding.models import FundingLine, FundingScheme, FundingState, FundingStep
from clea.geography.models import Commune, Departement, Postcode, Region
from clea.lib.errors import RuleViolation
from clea.organisations.models import Organisation, OrganisationKind, Role
from clea.referentiel.models import Certification
from clea.referrals import services as referrals
from clea.referrals.access import get_referral_for_user_or_404, referrals_for
from clea.referrals.models import Referral, ReferralStatus

ERRORS = {c: ErrorSerializer for c in (400, 403, 404, 409)}
NOT_PRESCRIBER = "Réservé aux conseillers et administrateurs d'un prescripteur (organisme courant)."
NOT_RECIPIENT = "Réservé à l'organisme évaluateur à qui la personne est orientée."
NOT_EMPLOYER = "Seul l'employeur du salarié répond à une demande d'autorisation d'absence."


# --- referrals ----------------------------------------------------------------------------------------


def acting_prescriber(request):
    """The current organisation, if it is a prescriber where the user is adviser or administrator."""
    current = request.current
    organisation = current.organisation
    require(
        organisation is not None
        and organisation.kind == OrganisationKind.PRESCRIBER
        and current.has_role(Role.ADVISER, Role.ADMIN),
        NOT_PRESCRIBER,
    )
    return organisation


@extend_schema_field(
    {
        "type": "string",
        "description": "sent (envoyée), accepted (acceptée : dossier ouvert) ou declined (déclinée).",
    }
)
class ReferralStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=ReferralStatus.choices, **kwargs)


class ReferralDossierSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    state = serializers.ChoiceField(choices=DOSSIER_STATES)
    state_label = serializers.CharField()


class SharedResultsSerializer(serializers.Serializer):
    points = serializers.IntegerField()
    total = serializers.IntegerField()
    eligible = serializers.BooleanField(help_text="Tous les domaines acquis et seuil de points atteint.")
    complete = serializers.BooleanField(help_text="Chaque critère a été jugé.")
    missing_domains = serializers.SerializerMethodField(help_text="Codes des domaines encore à acquérir.")

    def get_missing_domains(self, obj) -> list[str]:
        return [d.spec.code for d in obj.missing_domains]


class ReferralSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    status = ReferralStatusField()
    status_label = serializers.CharField(source="get_status_display")
    prescriber = OrganisationRefSerializer()
    adviser = PersonSerializer(help_text="Conseiller qui a orienté la personne.")
    evaluator_organisation = OrganisationRefSerializer()
    certification = serializers.CharField(source="certification.code")
    birth_name = serializers.CharField()
    first_names = serializers.CharField()
    birth_date = serializers.DateField()
    email = serializers.CharField()
    phone = serializers.CharField()
    candidate_status = serializers.ChoiceField(choices=CandidateStatus.choices)
    note = serializers.CharField(help_text="Message du prescripteur à l'organisme.")
    share_results = serializers.BooleanField(help_text="La personne accepte que le prescripteur voie ses résultats.")
    consent_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)
    decline_reason = serializers.CharField(help_text="Motif, si l'orientation a été déclinée.")
    dossier = ReferralDossierSerializer(allow_null=True, help_text="Dossier ouvert à partir de l'orientation.")
    results = serializers.SerializerMethodField()

    @extend_schema_field(
        SharedResultsSerializer(
            allow_null=True,
            help_text="Résultats de l'évaluation préalable : seulement pour le prescripteur, et si la personne "
            "a accepté de les partager.",
        )
    )
    def get_results(self, obj):
        result = self.context.get("results", {}).get(obj.pk)
        return SharedResultsSerializer(result).data if result is not None else None


class ReferralInputSerializer(serializers.Serializer):
    evaluator_organisation = organisation_field(help_text="Organisme évaluateur habilité (voir l'annuaire).")
    certification = CertificationField()
    birth_name = serializers.CharField(max_length=150)
    first_names = serializers.CharField(max_length=200)
    birth_date = serializers.DateField()
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    candidate_status = serializers.ChoiceField(choices=CandidateStatus.choices)
    consent = serializers.BooleanField(
        help_text="La personne accepte d'être orientée et que ses coordonnées soient transmises (obligatoire)."
    )
    share_results = serializers.BooleanField(
        required=False, default=False, help_text="La personne accepte que vous voyiez ses résultats."
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="Message à l'organisme.")

    def validate_birth_date(self, value):
        if value > today() or value.year < 1900:
            raise serializers.ValidationError("Cette date de naissance n'est pas plausible.")
        return value


class ReferralAcceptSerializer(serializers.Serializer):
    """What opening a dossier asks for, minus what the referral already says (certification, prescriber)."""

    candidate = CandidateInputSerializer()
    candidate_status = serializers.ChoiceField(
        choices=CandidateStatus.choices, required=False, help_text="Par défaut : la situation indiquée à l'orientation."
    )
    employer = organisation_field(required=False, allow_null=True, default=None)
    consent = serializers.BooleanField(help_text="Consentement du candidat recueilli (obligatoire).")
    evaluator = user_field(required=False, allow_null=True, default=None, help_text="Évaluateur référent.")


class ReferralFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices, help_text="État de l'orientation.")
    certification = django_filters.CharFilter(field_name="certification__code", help_text="Code de la certification.")

    class Meta:
        model = Referral
        fields: list[str] = []


class ReferralListView(ListModelMixin, ApiView):
    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter
    queryset = Referral.objects.none()

    def get_queryset(self):
        return referrals_for(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {**self.get_serializer_context(), "results": shared_referral_results(request.user, page)}
        return self.get_paginated_response(ReferralSerializer(page, many=True, context=context).data)

    @extend_schema(
        operation_id="referrals_list",
        summary="Orientations visibles (prescripteur, organisme destinataire, certificateur), les plus récentes "
        "d'abord",
        description="Chaque orientation montre son état et, une fois acceptée, l'état du dossier. Les résultats "
        "de l'évaluation préalable ne sont donnés qu'au prescripteur, et seulement si la personne a accepté "
        "de les partager.",
    )
    def get(self, request):
        return self.list(request)

    @extend_schema(
        operation_id="referrals_create",
        summary="Orienter une personne vers un organisme évaluateur habilité (conseiller d'un prescripteur)",
        description="Le prescripteur est l'organisme courant. L'organisme évaluateur doit être habilité "
        "aujourd'hui pour la certification, sinon 400.",
        request=ReferralInputSerializer,
        responses={201: ReferralSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
    )
    def post(self, request):
        prescriber = acting_prescriber(request)
        data = ReferralInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        referral = referrals.send_referral(
            prescriber=prescriber,
            adviser=request.user,
            evaluator_organisation=values["evaluator_organisation"],
            certification=values["certification"],
            person={k: values[k] for k in ("birth_name", "first_names", "birth_date", "email", "phone")},
            candidate_status=values["candidate_status"],
            consent=values["consent"],
            share_results=values["share_results"],
            note=values["note"],
            today=today(),
        )
        return referral_response(request, referral, status.HTTP_201_CREATED)


def referral_response(request, referral: Referral, code: int = status.HTTP_200_OK) -> Response:
    fresh = referrals_for(request.user).get(pk=referral.pk)
    context = {"results": shared_referral_results(request.user, [fresh])}
    return Response(ReferralSerializer(fresh, context=context).data, status=code)


class ReferralAcceptView(ApiView):
    serializer_class = ReferralAcceptSerializer

    @extend_schema(
        operation_id="referrals_accept",
        summary="Accepter une orientation : ouvrir le dossier de la personne (organisme destinataire)",
        description="Mêmes contrôles que l'ouverture d'un dossier ; la certification et le prescripteur "
        "viennent de l'orientation. Une orientation qui a déjà reçu une réponse, ou une personne qui a déjà "
        "un dossier ouvert (doublon), donnent un 409.",
        request=ReferralAcceptSerializer,
        responses={
            201: DossierDetailSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Données invalides ou règle non respectée."),
            403: ErrorSerializer,
            404: ErrorSerializer,
            409: DuplicateErrorSerializer,
        },
    )
    def post(self, request, id):
        referral = get_referral_for_user_or_404(request.user, id)
        require(can_open_dossier(request.user, referral.evaluator_organisation), NOT_RECIPIENT)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        dossier = referrals.accept_referral(
            referral,
            candidate=dict(values["candidate"]),
            candidate_status=values.get("candidate_status") or referral.candidate_status,
            employer=values["employer"],
            consent=values["consent"],
            evaluator=values["evaluator"],
            by=request.user,
            today=today(),
        )
        return dossier_response(request, dossier, status.HTTP_201_CREATED)


class ReferralDeclineView(ApiView):
    serializer_class = ReasonSerializer

    @extend_schema(
        operation_id="referrals_decline",
        summary="Décliner une orientation, avec un motif transmis au prescripteur (organisme destinataire)",
        request=ReasonSerializer,
        responses={200: ReferralSerializer, **ERRORS},
    )
    def post(self, request, id):
        referral = get_referral_for_user_or_404(request.user, id)
        require(can_open_dossier(request.user, referral.evaluator_organisation), NOT_RECIPIENT)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        referrals.decline_referral(referral, reason=data.validated_data["reason"], by=request.user)
        return referral_response(request, referral)


# --- absence requests -----------------------------------------------------------------------------------


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
    created_at = serializers.DateTimeField()

    def get_notice_days(self, obj) -> int:
        """Préavis légal en jours : 60, ou 120 pour une formation de six mois ou plus."""
        return absence_dates(requested_on=obj.requested_on, start=obj.start_date, end=obj.end_date).notice_days


class AbsenceRequestInputSerializer(serializers.Serializer):
    requested_on = serializers.DateField(help_text="Date de la demande du salarié à son employeur.")
    start_date = serializers.DateField(help_text="Début de la formation.")
    end_date = serializers.DateField(help_text="Fin de la formation.")
    hours = serializers.IntegerField(help_text="Heures sur le temps de travail (1 à 2 000).")


class AbsenceAnswerSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[
            (s, AbsenceStatus(s).label)
            for s in (AbsenceStatus.ACCEPTED, AbsenceStatus.REFUSED, AbsenceStatus.OTHER_DATES)
        ]
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Motif (obligatoire pour un refus)."
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
        description="Accepter, refuser (avec motif) ou proposer d'autres dates. Après le délai de 30 jours, "
        "le silence vaut acceptation : une réponse est refusée en 409.",
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


# --- funding --------------------------------------------------------------------------------------------

MONEY = {"max_digits": 12, "decimal_places": 2}


class StepTotalSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=FundingStep.choices)
    step_label = serializers.CharField()
    amount = serializers.DecimalField(**MONEY, help_text="Financement prévu, accordé ou versé (hors refusé).")
    planned = serializers.DecimalField(**MONEY)
    agreed = serializers.DecimalField(**MONEY)
    paid = serializers.DecimalField(**MONEY)
    refused = serializers.DecimalField(**MONEY)


class DossierFundingSerializer(serializers.Serializer):
    dossier = serializers.UUIDField()
    lines = FundingLineSerializer(many=True)
    totals = StepTotalSerializer(many=True, help_text="Une ligne par étape du parcours, même sans financement.")
    total = serializers.DecimalField(**MONEY, help_text="Toutes étapes, hors financements refusés.")


def step_totals(lines) -> list[dict]:
    totals = []
    for step in FundingStep:
        by_state = {state.value: Decimal("0.00") for state in FundingState}
        for line in lines:
            if line.step == step:
                by_state[line.state] += line.amount
        amount = sum((v for k, v in by_state.items() if k != FundingState.REFUSED), Decimal("0.00"))
        totals.append({"step": step.value, "step_label": step.label, "amount": amount, **by_state})
    return totals


def funding_dossier_ids(user):
    """Dossiers whose funding the user sees: the visible ones, and, for the employer's staff, their employees'
    dossiers (as on the employer's funding page, ``clea.absences.views.employer_funding``)."""
    employers = [o.pk for o in employer_organisations(user)]
    return Dossier.objects.filter(Q(pk__in=visible_dossier_ids(user)) | Q(employer_id__in=employers)).values("pk")


class DossierFundingLinesView(FundingLineCreateView):
    """The dossier's funding lines with totals per step; POST (adding a line) is the dossiers API's."""

    @extend_schema(
        operation_id="dossiers_funding_lines_retrieve",
        summary="Financements du dossier, avec les totaux par étape (évaluation, formation, évaluation finale)",
        description="Pour l'organisme qui suit le dossier, les organismes qui le voient et le certificateur, "
        "ainsi que pour l'employeur du salarié (comme sur sa page de financement).",
        responses={200: DossierFundingSerializer, 404: ErrorSerializer},
    )
    def get(self, request, id):
        dossier = Dossier.objects.filter(pk__in=funding_dossier_ids(request.user), public_id=id).first()
        if dossier is None:
            raise Http404("Dossier introuvable.")
        lines = list(dossier.funding_lines.order_by("step", "pk"))
        totals = step_totals(lines)
        body = {
            "dossier": dossier.public_id,
            "lines": lines,
            "totals": totals,
            "total": sum((t["amount"] for t in totals), Decimal("0.00")),
        }
        return Response(DossierFundingSerializer(body).data)


class FundingDossierSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    candidate = serializers.CharField(source="candidate.full_name", help_text="Prénom et nom du candidat.")
    certification = serializers.CharField(source="certification.code")
    evaluator_organisation = OrganisationRefSerializer()


class FundingLineEntrySerializer(FundingLineSerializer):
    dossier = FundingDossierSerializer()


class FundingLineFilter(django_filters.FilterSet):
    step = django_filters.ChoiceFilter(choices=FundingStep.choices, help_text="Étape du parcours.")
    scheme = django_filters.ChoiceFilter(choices=FundingScheme.choices, help_text="Dispositif de financement.")
    state = django_filters.ChoiceFilter(choices=FundingState.choices, help_text="Prévu, accordé, versé ou refusé.")

    class Meta:
        model = FundingLine
        fields: list[str] = []


class FundingLineListView(ListModelMixin, ApiView):
    serializer_class = FundingLineEntrySerializer
    filterset_class = FundingLineFilter
    queryset = FundingLine.objects.none()

    def get_queryset(self):
        return (
            FundingLine.objects.filter(dossier__in=funding_dossier_ids(self.request.user))
            .select_related("dossier__candidate", "dossier__certification", "dossier__evaluator_organisation")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(
        operation_id="funding_lines_list",
        summary="Lignes de financement des dossiers visibles (et, pour un employeur, de ses salariés), filtrables "
        "par étape, dispositif et état",
    )
    def get(self, request):
        return self.list(request)


# --- public directory -----------------------------------------------------------------------------------


class DirectoryPagination(PageNumberPagination):
    page_size = 20


class DirectoryQuerySerializer(serializers.Serializer):
    region = serializers.CharField(required=False, help_text="Code INSEE de la région (53 : Bretagne).")
    departement = serializers.CharField(required=False, help_text="Code du département (35, 2A…).")
    postcode = serializers.CharField(
        required=False, help_text="Code postal : la commune principale qu'il dessert sert de point de recherche."
    )
    commune = serializers.CharField(required=False, help_text="Code INSEE de la commune.")
    certification = serializers.CharField(required=False, help_text="Code de la certification (CLEA, CLEA_NUMERIQUE).")


def refuse(field: str, message: str) -> NoReturn:
    raise RuleViolation(message, field=field)


def directory_query(params) -> tuple[Place, Certification | None]:
    """The search's place and certification from the query string; an unknown code is a 400 in French."""
    values = {k: str(params.get(k, "")).strip() for k in DirectoryQuerySerializer().fields}
    region = departement = commune = certification = None
    if values["region"]:
        region = Region.objects.filter(code=values["region"]).first()
        if region is None:
            refuse("region", f"Aucune région n'a le code {values['region']}.")
    if values["departement"]:
        departement = Departement.objects.select_related("region").filter(code=values["departement"].upper()).first()
        if departement is None:
            refuse("departement", f"Aucun département n'a le code {values['departement']}.")
    if values["commune"]:
        commune = Commune.objects.select_related("departement__region").filter(code=values["commune"].upper()).first()
        if commune is None:
            refuse("commune", f"Aucune commune n'a le code INSEE {values['commune']}.")
    if values["postcode"]:
        postcode = values["postcode"]
        if len(postcode) != 5 or not postcode.isdigit() or not Postcode.objects.filter(code=postcode).exists():
            refuse("postcode", "Ce code postal n'existe pas.")
        if commune is None:
            commune = (
                Commune.objects.filter(postcodes__code=postcode, parent__isnull=True)
                .select_related("departement__region")
                .order_by("-population")
                .first()
            )
        elif not Postcode.objects.filter(code=postcode, commune=commune).exists():
            refuse("commune", "Cette commune ne correspond pas au code postal.")
    if values["certification"]:
        certification = Certification.objects.filter(code=values["certification"].upper()).first()
        if certification is None:
            refuse("certification", f"Certification inconnue : {values['certification']}.")
    return Place(region=region, departement=departement, commune=commune), certification


class DirectoryHabilitationSerializer(serializers.Serializer):
    certification = serializers.CharField(source="certification.code")
    certification_name = serializers.CharField(source="certification.name")
    regions = RegionSerializer(many=True, source="regions.all", help_text="Régions où l'organisme est habilité.")
    valid_until = serializers.DateField(allow_null=True, help_text="Fin de l'habilitation (null : sans limite).")


class DirectoryOrganisationSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    address_line1 = serializers.CharField()
    address_line2 = serializers.CharField()
    postcode = serializers.CharField()
    commune = CommuneRefSerializer(allow_null=True)
    departement = serializers.CharField(source="commune.departement_id", allow_null=True)
    email = serializers.CharField()
    phone = serializers.CharField()
    website = serializers.CharField()
    habilitations = DirectoryHabilitationSerializer(
        many=True, source="valid_habilitations", help_text="Habilitations en cours aujourd'hui."
    )


class PublicApiView(ApiView):
    """No account, no session, no CSRF: the directory is the same for everyone."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    filter_backends: list = []


class DirectoryListView(ListModelMixin, PublicApiView):
    serializer_class = DirectoryOrganisationSerializer
    pagination_class = DirectoryPagination
    queryset = Organisation.objects.none()

    @extend_schema(
        operation_id="directory_list",
        summary="Annuaire public : organismes évaluateurs habilités aujourd'hui, les plus proches d'abord",
        description="Sans compte. Un organisme figure pour un lieu quand une de ses habilitations en cours couvre "
        "la région du lieu ; ceux de la même commune, puis du même département, viennent en premier. Un code "
        "inconnu (région, département, code postal, commune, certification) donne un 400.",
        auth=[],
        parameters=[DirectoryQuerySerializer],
        responses={200: DirectoryOrganisationSerializer(many=True), 400: ErrorSerializer},
    )
    def get(self, request):
        place, certification = directory_query(request.query_params)
        page = self.paginate_queryset(search(place, certification, today()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class DirectoryDetailView(PublicApiView):
    serializer_class = DirectoryOrganisationSerializer

    @extend_schema(
        operation_id="directory_retrieve",
        summary="Annuaire public : un organisme évaluateur habilité aujourd'hui (adresse, contact, habilitations)",
        auth=[],
        responses={200: DirectoryOrganisationSerializer, 404: ErrorSerializer},
    )
    def get(self, request, id):
        found = search(Place(), None, today()).filter(public_id=id).first()
        if found is None:
            raise Http404("Organisme introuvable ou sans habilitation en cours.")
        return Response(DirectoryOrganisationSerializer(found).data)
