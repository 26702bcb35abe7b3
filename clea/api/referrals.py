"""Referrals through the API, as on the screens (``clea.referrals.views``): a prescriber sends a person to an
evaluator organisation, which accepts (a dossier opens) or declines.
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.mixins import ListModelMixin
from rest_framework.response import Response

from clea.api.base import (
    ERRORS,
    ApiView,
    CertificationField,
    OrganisationRefSerializer,
    PersonSerializer,
    organisation_field,
    require,
    today,
    user_field,
)
from clea.api.dossiers import (
    DOSSIER_STATES,
    CandidateInputSerializer,
    DossierDetailSerializer,
    ReasonSerializer,
    dossier_response,
)
from clea.api.errors import DuplicateErrorSerializer, ErrorSerializer
from clea.dossiers.identity import validate_birth_date
from clea.dossiers.models import CandidateStatus
from clea.dossiers.permissions import can_open_dossier
from clea.evaluations.services import shared_referral_results
from clea.lib import limits
from clea.organisations.models import OrganisationKind, Role
from clea.referrals import services as referrals
from clea.referrals.access import get_referral_for_user_or_404, referrals_for
from clea.referrals.models import Referral, ReferralStatus

NOT_PRESCRIBER = "Réservé aux conseillers et administrateurs d'un prescripteur (organisme courant)."
NOT_RECIPIENT = "Réservé à l'organisme évaluateur à qui la personne est orientée."


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
    birth_date = serializers.DateField(validators=[validate_birth_date])
    # No default="" on the e-mail: '' is no e-mail address, and the schema's default must be one.
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    candidate_status = serializers.ChoiceField(choices=CandidateStatus.choices)
    consent = serializers.BooleanField(
        help_text="La personne accepte d'être orientée et que ses coordonnées soient transmises (obligatoire)."
    )
    share_results = serializers.BooleanField(
        required=False, default=False, help_text="La personne accepte que vous voyiez ses résultats."
    )
    note = serializers.CharField(
        max_length=limits.NOTE, required=False, allow_blank=True, default="", help_text="Message à l'organisme."
    )


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
            person={k: values.get(k, "") for k in ("birth_name", "first_names", "birth_date", "email", "phone")},
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
