"""Certificates through the API: issue for a closed jury session, print runs and their letters, duplicates,
revocation, CPF reporting, and the public verification of a code.

Same rules as the certifier's screens (``clea.certificates.views``): everything is the certifier's staff's
(``can_manage_certificates``); anyone else gets a 403 on the lists and a 404 on objects (certificates, print
runs, letters, CPF files). A jury session is the jury's object: those who see it (organiser's staff, members)
get a 403 when they ask for its certificates, others a 404. The services' refusals come back as 400/409 with
their French reason; a refused action writes nothing.

The public verification (``GET /verification/{code}/``) needs no account: no authentication at all (so no
session and no CSRF), the same per-client rate limit as the ``/verifier/`` page, and the same answer
(``clea.certificates.verification.lookup``).
"""

from __future__ import annotations

import django_filters
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import parsers, renderers, serializers, status
from rest_framework.mixins import ListModelMixin
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from clea.api.dossiers import ApiView, CertificationField, OrganisationRefSerializer, PersonSerializer, require
from clea.api.errors import ErrorSerializer
from clea.api.jury import PdfRenderer
from clea.certificates import documents, ratelimit, services
from clea.certificates.access import (
    get_batch_for_user_or_404,
    get_certificate_for_user_or_404,
    get_export_for_user_or_404,
    get_mailing_for_user_or_404,
)
from clea.certificates.models import (
    Certificate,
    CpfExport,
    CpfRecord,
    CpfRecordStatus,
    Mailing,
    MailingBatch,
    MailingKind,
    MailingStatus,
)
from clea.certificates.permissions import can_manage_certificates
from clea.certificates.public_views import TOO_MANY
from clea.certificates.verification import LABELS, lookup
from clea.certificates.views import with_statuses
from clea.jury.access import get_jury_session_for_user_or_404
from clea.lib import limits
from clea.lib.errors import Conflict

CERTIFIER_ONLY = "Réservé au certificateur."
NOTHING_TO_SEND = "Aucun courrier à imprimer dans ce lot : tous ont déjà été marqués envoyés."
DEFAULT_BATCH_SIZE = 100


def require_certifier(user) -> None:
    require(can_manage_certificates(user), CERTIFIER_ONLY)


# --- querysets ----------------------------------------------------------------------------------------


def certificates_queryset(user):
    """Visible certificates with what a list shows (latest letter, CPF status), in a constant number of queries."""
    return with_statuses(
        Certificate.objects.visible_to(user).select_related("certification", "jury_session__region", "dossier")
    ).order_by("-issued_at", "-pk")


def mailings_queryset():
    # Not the batch's PDF: it holds every letter of the print run.
    return (
        Mailing.objects.select_related("batch", "certificate", "sent_by", "returned_by", "resent_by")
        .defer("batch__pdf")
        .order_by("batch__created_at", "batch__pk", "position")
    )


def batches_queryset():
    """Print runs (without their PDF) and how many of their letters are at each status."""
    counts = {
        f"{name}_count": Count("mailings", filter=Q(mailings__status=value))
        for name, value in [
            ("to_print", MailingStatus.TO_PRINT),
            ("sent", MailingStatus.SENT),
            ("returned", MailingStatus.RETURNED),
            ("resent", MailingStatus.RESENT),
        ]
    }
    return (
        MailingBatch.objects.select_related("created_by")
        .defer("pdf")
        .annotate(**counts, duplicate_count=Count("mailings", filter=Q(mailings__kind=MailingKind.DUPLICATE)))
        .order_by("-created_at", "-pk")
    )


def certificate_detail(user, certificate: Certificate) -> dict:
    certificate = (
        certificates_queryset(user)
        .select_related("dossier__evaluator_organisation", "issued_by", "revoked_by")
        .prefetch_related(
            Prefetch("mailings", queryset=mailings_queryset()),
            Prefetch(
                "cpf_records",
                queryset=CpfRecord.objects.select_related("export")
                .defer("export__content", "export__ack_content")
                .order_by("pk"),
            ),
        )
        .get(pk=certificate.pk)
    )
    return CertificateDetailSerializer(certificate).data


def batch_detail(batch: MailingBatch) -> dict:
    batch = batches_queryset().prefetch_related(Prefetch("mailings", queryset=mailings_queryset())).get(pk=batch.pk)
    return MailingBatchDetailSerializer(batch).data


def mailing_detail(mailing: Mailing) -> dict:
    return MailingSerializer(mailings_queryset().get(pk=mailing.pk)).data


# --- read serializers ---------------------------------------------------------------------------------


# Described, not enumerated: "status" and "kind" already name other choice sets in the schema (see
# clea.api.jury.OutcomeField).
def described(choices, description: str, **kwargs):
    @extend_schema_field({"type": "string", "description": description})
    class Described(serializers.ChoiceField):
        pass

    return Described(choices=choices, **kwargs)


MAILING_STATUS_HELP = (
    "to_print (à imprimer), sent (envoyé), returned (revenu à l'expéditeur) ou resent (renvoyé à l'adresse corrigée)."
)
CPF_STATUS_HELP = "sent (envoyé, accusé attendu), accepted (accepté) ou rejected (rejeté, déclaré de nouveau)."


class SessionRefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    date = serializers.DateField()
    region = serializers.CharField(source="region.name")


class CertificateRefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    number = serializers.CharField()
    holder = serializers.CharField(source="holder_name", help_text="Prénoms et nom du titulaire.")


class CertificateSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    number = serializers.CharField(help_text="Numéro national : CERTIFICATION-ANNÉE-NUMÉRO D'ORDRE.")
    certification = serializers.CharField(source="certification.code")
    year = serializers.IntegerField(help_text="Année de la session de jury.")
    holder = serializers.CharField(source="holder_name", help_text="Prénoms et nom du titulaire.")
    holder_birth_date = serializers.DateField()
    dossier = serializers.UUIDField(source="dossier.public_id", help_text="Identifiant du dossier du candidat.")
    awarded_on = serializers.DateField(help_text="Date de la délivrance (la session de jury).")
    jury_session = SessionRefSerializer()
    issued_at = serializers.DateTimeField()
    revoked = serializers.BooleanField(source="is_revoked")
    revoked_at = serializers.DateTimeField(allow_null=True)
    mailing_status = described(
        MailingStatus.choices,
        "Statut du dernier courrier (null : jamais envoyé) : " + MAILING_STATUS_HELP,
        allow_null=True,
    )
    cpf_status = described(
        CpfRecordStatus.choices,
        "Dernière déclaration au CPF (null : pas encore déclaré) : " + CPF_STATUS_HELP,
        allow_null=True,
    )


class HistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    status = described(MailingStatus.choices, MAILING_STATUS_HELP)
    reason = serializers.CharField(max_length=limits.REASON, help_text="Motif du retour, s'il y en a un.")


class MailingSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    batch = serializers.UUIDField(source="batch.public_id", help_text="Lot d'envoi du courrier.")
    certificate = CertificateRefSerializer()
    kind = described(MailingKind.choices, "original ou duplicate (duplicata : même numéro, mention DUPLICATA).")
    kind_label = serializers.CharField(source="get_kind_display")
    position = serializers.IntegerField(help_text="Rang dans le lot (trié par code postal).")
    status = described(MailingStatus.choices, MAILING_STATUS_HELP)
    status_label = serializers.CharField(source="get_status_display")
    address_lines = serializers.ListField(
        child=serializers.CharField(), help_text="Adresse telle qu'imprimée dans la fenêtre de l'enveloppe."
    )
    postcode = serializers.CharField()
    sent_at = serializers.DateTimeField(allow_null=True)
    sent_by = PersonSerializer(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    returned_by = PersonSerializer(allow_null=True)
    return_reason = serializers.CharField()
    resent_at = serializers.DateTimeField(allow_null=True)
    resent_by = PersonSerializer(allow_null=True)
    history = HistoryEntrySerializer(many=True, help_text="Chaque changement de statut, dans l'ordre.")


class CpfRecordSerializer(serializers.Serializer):
    export = serializers.UUIDField(source="export.public_id", help_text="Déclaration (idFlux).")
    export_created_at = serializers.DateTimeField(source="export.created_at")
    status = described(CpfRecordStatus.choices, CPF_STATUS_HELP)
    status_label = serializers.CharField(source="get_status_display")
    rejection_reason = serializers.CharField()
    processed_at = serializers.DateTimeField(allow_null=True)


class CertificateDetailSerializer(CertificateSerializer):
    certification_name = serializers.SerializerMethodField()
    holder_birth_name = serializers.CharField()
    holder_usage_name = serializers.CharField()
    holder_first_names = serializers.CharField()
    holder_sex = serializers.CharField()
    holder_birth_commune_code = serializers.CharField(help_text="Code INSEE de la commune de naissance (en France).")
    holder_birth_place = serializers.CharField()
    holder_birth_country = serializers.CharField(help_text="Pays de naissance (né hors de France).")
    evaluator_organisation = OrganisationRefSerializer(source="dossier.evaluator_organisation")
    verification_code = serializers.CharField(
        source="verification_code_display", help_text="Code imprimé sur le certificat, par groupes de quatre."
    )
    verification_url = serializers.CharField(help_text="Adresse de la vérification publique (QR code).")
    cpf_technical_id = serializers.UUIDField(help_text="Identifiant technique stable dans les déclarations au CPF.")
    issued_by = PersonSerializer()
    revoked_by = PersonSerializer(allow_null=True)
    revocation_reason = serializers.CharField()
    mailings = MailingSerializer(many=True, source="mailings.all")
    cpf_records = CpfRecordSerializer(many=True, source="cpf_records.all")

    def get_certification_name(self, obj) -> str:
        return obj.certification.full_name or obj.certification.name


class MailingBatchSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    created_at = serializers.DateTimeField()
    created_by = PersonSerializer()
    size = serializers.IntegerField(help_text="Nombre de courriers.")
    pdf_sha256 = serializers.CharField(help_text="Empreinte SHA-256 du PDF à imprimer (identique à chaque retirage).")
    to_print_count = serializers.IntegerField()
    sent_count = serializers.IntegerField()
    returned_count = serializers.IntegerField()
    resent_count = serializers.IntegerField()
    duplicate_count = serializers.IntegerField(help_text="Courriers de duplicata.")


class MailingBatchDetailSerializer(MailingBatchSerializer):
    mailings = MailingSerializer(many=True, source="mailings.all")


class IssueResultSerializer(serializers.Serializer):
    issued = serializers.IntegerField(help_text="Certificats émis par cet appel (0 s'ils l'étaient déjà tous).")
    certificates = CertificateSerializer(many=True, help_text="Tous les certificats des lauréats de la session.")


class CpfExportSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", help_text="idFlux du fichier.")
    created_at = serializers.DateTimeField()
    created_by = PersonSerializer(allow_null=True)
    filename = serializers.CharField()
    record_count = serializers.IntegerField()
    sha256 = serializers.CharField()
    ack_imported_at = serializers.DateTimeField(allow_null=True)


class AckResultSerializer(serializers.Serializer):
    export = CpfExportSerializer()
    accepted = serializers.IntegerField()
    rejected = serializers.IntegerField(help_text="Rejetés : ils partent dans la prochaine déclaration.")
    unchanged = serializers.IntegerField(help_text="Déjà à jour (accusé importé deux fois).")
    unknown = serializers.ListField(
        child=serializers.CharField(), help_text="Identifiants techniques absents de cette déclaration."
    )
    conflicts = serializers.ListField(
        child=serializers.CharField(), help_text="Numéros en contradiction avec un accusé précédent (non modifiés)."
    )
    summary = serializers.CharField(help_text="Bilan en français.")


class VerificationSerializer(serializers.Serializer):
    status = described(
        list(LABELS.items()),
        "valid (certificat valide), revoked (retiré) ou unknown (code inconnu : tous les autres champs sont null).",
    )
    certification = serializers.CharField(allow_null=True)
    awarded_on = serializers.DateField(allow_null=True)
    holder = serializers.CharField(allow_null=True, help_text="Premier prénom et initiale du nom (« Léa D. »).")
    number = serializers.CharField(allow_null=True)


# --- input serializers --------------------------------------------------------------------------------


class RevokeInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=limits.REASON,
        help_text="Motif du retrait (obligatoire).",
    )


class ReturnInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=255,
        help_text="Motif du retour (obligatoire), par exemple : destinataire inconnu à l'adresse (NPAI).",
    )


class BatchInputSerializer(serializers.Serializer):
    certificates = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        help_text="Identifiants des certificats à envoyer (originaux jamais envoyés).",
    )
    all_to_print = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Prendre les certificats valides jamais envoyés, les plus anciens d'abord "
        "(au lieu de `certificates`).",
    )
    certification = CertificationField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Avec `all_to_print` : seulement cette certification (CLEA, CLEA_NUMERIQUE).",
    )
    size = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=services.MAX_BATCH,
        help_text=f"Avec `all_to_print` : nombre de courriers au plus ({DEFAULT_BATCH_SIZE} par défaut, "
        f"{services.MAX_BATCH} au plus).",
    )

    def validate(self, attrs):
        chosen, everything = attrs.get("certificates"), attrs["all_to_print"]
        if everything and chosen is not None:
            raise serializers.ValidationError(
                {"certificates": ["Donnez soit la liste des certificats, soit « all_to_print », pas les deux."]}
            )
        if not everything:
            if not chosen:
                raise serializers.ValidationError(
                    {"certificates": ["Choisissez au moins un certificat, ou demandez « all_to_print »."]}
                )
            for name in ("certification", "size"):
                if name in self.initial_data:
                    raise serializers.ValidationError({name: ["Ne s'utilise qu'avec « all_to_print »."]})
        return attrs


# --- filters ------------------------------------------------------------------------------------------


class CertificateFilter(django_filters.FilterSet):
    certification = django_filters.CharFilter(field_name="certification__code", help_text="Code de la certification.")
    year = django_filters.NumberFilter(field_name="year", help_text="Année de la session de jury.")
    revoked = django_filters.BooleanFilter(
        field_name="revoked_at", lookup_expr="isnull", exclude=True, help_text="true : retirés ; false : valides."
    )
    number = django_filters.CharFilter(
        field_name="number", lookup_expr="icontains", max_length=40, help_text="Tout ou partie du numéro."
    )
    mailing = django_filters.ChoiceFilter(
        choices=[("none", "Pas encore envoyé"), *MailingStatus.choices],
        method="filter_mailing",
        help_text="Statut du dernier courrier ; none : jamais envoyé.",
    )
    session = django_filters.UUIDFilter(field_name="jury_session__public_id", help_text="Session de jury.")

    class Meta:
        model = Certificate
        fields: list[str] = []

    def filter_mailing(self, queryset, name, value):
        if value == "none":
            return queryset.filter(mailing_status__isnull=True)
        return queryset.filter(mailing_status=value)


# --- renderers and parsers ----------------------------------------------------------------------------


class XmlRenderer(renderers.BaseRenderer):
    media_type = "application/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class XmlParser(parsers.BaseParser):
    """The acknowledgement travels as is: the service checks it against the schema."""

    media_type = "application/xml"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read() if stream is not None else b""


class TextXmlParser(XmlParser):
    media_type = "text/xml"


class FileView(ApiView):
    """A download (PDF, XML) a client may ask for by its type; errors are still answered in JSON."""

    def handle_exception(self, exc):
        self.request.accepted_renderer, self.request.accepted_media_type = renderers.JSONRenderer(), "application/json"
        return super().handle_exception(exc)


def file_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # No personal data in file names.
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def pdf_schema(description: str) -> dict:
    return {
        (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description=description),
        (404, "application/json"): ErrorSerializer,
    }


ERRORS = {c: ErrorSerializer for c in (400, 404, 409)}
LIST_ERRORS = {c: ErrorSerializer for c in (400, 403)}


# --- certificates -------------------------------------------------------------------------------------


class CertificateListView(ListModelMixin, ApiView):
    serializer_class = CertificateSerializer
    filterset_class = CertificateFilter
    queryset = Certificate.objects.none()

    def get_queryset(self):
        return certificates_queryset(self.request.user)

    @extend_schema(
        operation_id="certificates_list",
        summary="Certificats émis (certificateur), les plus récents d'abord, filtrables par certification, "
        "année, retrait, numéro",
        responses={200: CertificateSerializer(many=True), 403: ErrorSerializer},
    )
    def get(self, request):
        require_certifier(request.user)
        return self.list(request)


class CertificateDetailView(ApiView):
    serializer_class = CertificateDetailSerializer

    @extend_schema(
        operation_id="certificates_retrieve",
        summary="Certificat : titulaire, délivrance, code de vérification, courriers, déclarations au CPF",
        responses={200: CertificateDetailSerializer, 404: ErrorSerializer},
    )
    def get(self, request, id):
        certificate = get_certificate_for_user_or_404(request.user, id)
        return Response(certificate_detail(request.user, certificate))


class CertificatePdfView(FileView):
    renderer_classes = [renderers.JSONRenderer, PdfRenderer]

    @extend_schema(
        operation_id="certificates_pdf_retrieve",
        summary="Certificat à imprimer (PDF), avec son QR code de vérification",
        responses=pdf_schema("Certificat (PDF/UA)."),
    )
    def get(self, request, id):
        certificate = get_certificate_for_user_or_404(request.user, id)
        return file_response(
            documents.certificate_pdf(certificate), "application/pdf", f"certificat-{certificate.number}.pdf"
        )


class DuplicateView(ApiView):
    serializer_class = MailingBatchDetailSerializer

    @extend_schema(
        operation_id="certificates_duplicate",
        summary="Faire un duplicata : un lot d'un courrier, même numéro, mention DUPLICATA",
        description="Refusé en 409 pour un certificat retiré ; en 400 si l'adresse actuelle du titulaire ne "
        "peut pas être imprimée.",
        request=None,
        responses={201: MailingBatchDetailSerializer, **ERRORS},
    )
    def post(self, request, id):
        certificate = get_certificate_for_user_or_404(request.user, id)
        batch = services.duplicate(certificate, by=request.user)
        return Response(batch_detail(batch), status=status.HTTP_201_CREATED)


class RevokeView(ApiView):
    serializer_class = RevokeInputSerializer

    @extend_schema(
        operation_id="certificates_revoke",
        summary="Retirer le certificat (avec motif) : la vérification publique le dit retiré",
        description="Le motif reste interne. Refusé en 409 si le certificat est déjà retiré, en 400 sans motif.",
        request=RevokeInputSerializer,
        responses={200: CertificateDetailSerializer, **ERRORS},
    )
    def post(self, request, id):
        certificate = get_certificate_for_user_or_404(request.user, id)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.revoke(certificate, reason=data.validated_data["reason"], by=request.user)
        return Response(certificate_detail(request.user, certificate))


class SessionIssueView(ApiView):
    serializer_class = IssueResultSerializer

    @extend_schema(
        operation_id="jury_sessions_certificates_create",
        summary="Émettre les certificats des lauréats d'une session de jury close (certificateur)",
        description="Tout ou rien ; les certificats déjà émis sont rendus tels quels (201 si au moins un "
        "certificat est émis, 200 sinon). Refusé en 409 si le procès-verbal n'est pas signé. Ceux qui voient la "
        "session sans être certificateur reçoivent un 403, les autres un 404.",
        request=None,
        responses={
            201: IssueResultSerializer,
            200: IssueResultSerializer,
            **{c: ErrorSerializer for c in (403, 404, 409)},
        },
    )
    def post(self, request, id):
        session = get_jury_session_for_user_or_404(request.user, id)
        require_certifier(request.user)
        before = set(Certificate.objects.filter(jury_session=session).values_list("pk", flat=True))
        certificates = services.issue_for_session(session, by=request.user)
        issued = [c for c in certificates if c.pk not in before]
        listed = certificates_queryset(request.user).filter(pk__in=[c.pk for c in certificates])
        body = {"issued": len(issued), "certificates": CertificateSerializer(listed, many=True).data}
        return Response(body, status=status.HTTP_201_CREATED if issued else status.HTTP_200_OK)


# --- print runs and letters ---------------------------------------------------------------------------


class MailingBatchListView(ListModelMixin, ApiView):
    serializer_class = MailingBatchSerializer
    queryset = MailingBatch.objects.none()
    filter_backends: list = []

    def get_queryset(self):
        return batches_queryset()

    @extend_schema(
        operation_id="mailing_batches_list",
        summary="Lots d'envoi postaux (certificateur), les plus récents d'abord",
        responses={200: MailingBatchSerializer(many=True), 403: ErrorSerializer},
    )
    def get(self, request):
        require_certifier(request.user)
        return self.list(request)

    @extend_schema(
        operation_id="mailing_batches_create",
        summary="Préparer un lot d'envoi : les certificats choisis, ou tous ceux jamais envoyés",
        description="Un PDF unique, trié par code postal : pour chaque titulaire, la lettre (adresse dans la "
        "fenêtre de l'enveloppe) puis le certificat. Tout ou rien : refusé en 409 pour un certificat retiré ou "
        "déjà envoyé (faites un duplicata), en 400 si une adresse ne peut pas être imprimée.",
        request=BatchInputSerializer,
        responses={201: MailingBatchDetailSerializer, **{c: ErrorSerializer for c in (400, 403, 409)}},
    )
    def post(self, request):
        require_certifier(request.user)
        data = BatchInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values["all_to_print"]:
            chosen = Certificate.objects.awaiting_original_mailing().order_by("issued_at", "pk")
            if values["certification"] is not None:
                chosen = chosen.filter(certification=values["certification"])
            certificates = list(chosen[: values.get("size", DEFAULT_BATCH_SIZE)])
        else:
            wanted = list(dict.fromkeys(values["certificates"]))
            found = {c.public_id: c for c in Certificate.objects.visible_to(request.user).filter(public_id__in=wanted)}
            unknown = [str(u) for u in wanted if u not in found]
            if unknown:
                raise serializers.ValidationError(
                    {"certificates": [f"Aucun certificat ne correspond à l'identifiant {unknown[0]}."]}
                )
            certificates = [found[u] for u in wanted]
        batch = services.create_mailing_batch(certificates, by=request.user)
        return Response(batch_detail(batch), status=status.HTTP_201_CREATED)


class MailingBatchDetailView(ApiView):
    serializer_class = MailingBatchDetailSerializer

    @extend_schema(
        operation_id="mailing_batches_retrieve",
        summary="Lot d'envoi : ses courriers dans l'ordre d'impression, adresses et statuts",
        responses={200: MailingBatchDetailSerializer, 404: ErrorSerializer},
    )
    def get(self, request, id):
        return Response(batch_detail(get_batch_for_user_or_404(request.user, id)))


class MailingBatchPdfView(FileView):
    renderer_classes = [renderers.JSONRenderer, PdfRenderer]

    @extend_schema(
        operation_id="mailing_batches_pdf_retrieve",
        summary="PDF du lot à imprimer, tel qu'il a été préparé (identique à chaque téléchargement)",
        responses=pdf_schema("Lettres et certificats du lot (PDF/UA)."),
    )
    def get(self, request, id):
        batch = get_batch_for_user_or_404(request.user, id)
        filename = f"lot-{timezone.localtime(batch.created_at):%Y%m%d-%H%M}.pdf"
        return file_response(bytes(batch.pdf), "application/pdf", filename)


class MailingBatchSentView(ApiView):
    serializer_class = MailingBatchDetailSerializer

    @extend_schema(
        operation_id="mailing_batches_sent",
        summary="Marquer envoyés tous les courriers du lot encore à imprimer (remis à la poste)",
        description="Refusé en 409 s'il ne reste aucun courrier à imprimer dans le lot.",
        request=None,
        responses={200: MailingBatchDetailSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
    )
    def post(self, request, id):
        batch = get_batch_for_user_or_404(request.user, id)
        if not services.mark_batch_sent(batch, by=request.user):
            raise Conflict(NOTHING_TO_SEND)
        return Response(batch_detail(batch))


class MailingReturnedView(ApiView):
    serializer_class = ReturnInputSerializer

    @extend_schema(
        operation_id="mailings_returned",
        summary="Enregistrer le retour d'un courrier à l'expéditeur (avec motif)",
        description="Seul un courrier envoyé ou renvoyé peut revenir (409 sinon) ; le motif est obligatoire (400).",
        request=ReturnInputSerializer,
        responses={200: MailingSerializer, **ERRORS},
    )
    def post(self, request, id):
        mailing = get_mailing_for_user_or_404(request.user, id)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.mark_returned(mailing, reason=data.validated_data["reason"], by=request.user)
        return Response(mailing_detail(mailing))


class MailingResendView(ApiView):
    serializer_class = MailingSerializer

    @extend_schema(
        operation_id="mailings_resend",
        summary="Renvoyer un courrier revenu, à l'adresse actuelle du titulaire (corrigée dans le dossier)",
        description="Seul un courrier revenu se renvoie (409 sinon), jamais pour un certificat retiré (409). "
        "Le courrier à réimprimer : `GET /mailings/{id}/pdf/`.",
        request=None,
        responses={200: MailingSerializer, **ERRORS},
    )
    def post(self, request, id):
        mailing = get_mailing_for_user_or_404(request.user, id)
        services.resend(mailing, by=request.user)
        return Response(mailing_detail(mailing))


class MailingPdfView(FileView):
    renderer_classes = [renderers.JSONRenderer, PdfRenderer]

    @extend_schema(
        operation_id="mailings_pdf_retrieve",
        summary="Lettre et certificat d'un courrier, à imprimer de nouveau (courrier renvoyé)",
        responses=pdf_schema("Lettre et certificat (PDF/UA)."),
    )
    def get(self, request, id):
        mailing = get_mailing_for_user_or_404(request.user, id)
        return file_response(
            services.mailing_pdf(mailing), "application/pdf", f"courrier-{mailing.certificate.number}.pdf"
        )


# --- CPF reporting ------------------------------------------------------------------------------------


class CpfExportCreateView(ApiView):
    serializer_class = CpfExportSerializer

    @extend_schema(
        operation_id="cpf_exports_create",
        summary="Préparer la déclaration au CPF des certifications pas encore acceptées (fichier XML)",
        description="Les certificats valides sans déclaration en attente ou acceptée (les rejetés repartent). "
        "Le fichier est vérifié contre le schéma avant d'être enregistré ; il se télécharge ensuite avec "
        "`GET /cpf-exports/{id}/xml/`. Refusé en 400 s'il n'y a rien à déclarer.",
        request=None,
        responses={201: CpfExportSerializer, **{c: ErrorSerializer for c in (400, 403, 409)}},
    )
    def post(self, request):
        require_certifier(request.user)
        export = services.export_to_cpf(by=request.user)
        return Response(CpfExportSerializer(export).data, status=status.HTTP_201_CREATED)


class CpfExportXmlView(FileView):
    renderer_classes = [renderers.JSONRenderer, XmlRenderer]

    @extend_schema(
        operation_id="cpf_exports_xml_retrieve",
        summary="Fichier XML d'une déclaration au CPF, à déposer",
        responses={
            (200, "application/xml"): OpenApiResponse(OpenApiTypes.BINARY, description="Déclaration (XML)."),
            (404, "application/json"): ErrorSerializer,
        },
    )
    def get(self, request, id):
        export = get_export_for_user_or_404(request.user, id)
        return file_response(export.content.encode("utf-8"), "application/xml", export.filename)


class CpfAckView(ApiView):
    parser_classes = [XmlParser, TextXmlParser]
    serializer_class = AckResultSerializer

    @extend_schema(
        operation_id="cpf_exports_ack",
        summary="Importer l'accusé de traitement du CPF (corps : le fichier XML reçu)",
        description="Chaque certificat de la déclaration devient accepté ou rejeté (les rejetés partent dans la "
        "prochaine déclaration). Réimporter le même accusé ne change rien. Refusé en 400 si le fichier ne "
        "respecte pas le schéma ou porte sur une déclaration inconnue.",
        request={"application/xml": OpenApiTypes.BINARY},
        responses={200: AckResultSerializer, **{c: ErrorSerializer for c in (400, 403)}},
    )
    def post(self, request):
        require_certifier(request.user)
        content = request.data if isinstance(request.data, bytes) else b""
        result = services.import_cpf_ack(content, by=request.user)
        body = {
            "export": CpfExport.objects.select_related("created_by")
            .defer("content", "ack_content")
            .get(pk=result.export.pk),
            "accepted": result.accepted,
            "rejected": result.rejected,
            "unchanged": result.unchanged,
            "unknown": result.unknown,
            "conflicts": result.conflicts,
            "summary": result.summary,
        }
        return Response(AckResultSerializer(body).data)


# --- public verification ------------------------------------------------------------------------------


class VerificationView(APIView):
    """No account, no session, no CSRF: nothing here depends on who asks, only on how often."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [renderers.JSONRenderer]

    @extend_schema(
        operation_id="verification_retrieve",
        summary="Vérifier un certificat par son code (public, sans compte)",
        description="Répond valid, revoked ou unknown avec le même format, quel que soit le code (tirets, "
        "espaces et minuscules acceptés). Nombre de vérifications limité par connexion (le même décompte que "
        "la page /verifier/) : au-delà, 429 avec l'en-tête Retry-After (secondes).",
        auth=[],
        parameters=[
            OpenApiParameter(
                "code",
                str,
                OpenApiParameter.PATH,
                description="Code imprimé sous le QR code du certificat, par exemple ABCD-EFGH-JKMN-PQRS-TVWX.",
            )
        ],
        responses={
            200: VerificationSerializer,
            429: OpenApiResponse(ErrorSerializer, description="Trop de vérifications : réessayer plus tard."),
        },
    )
    def get(self, request, code):
        if ratelimit.over_limit(request):
            _, window = ratelimit.limits()
            return Response({"detail": TOO_MANY}, status=429, headers={"Retry-After": str(window)})
        return Response(lookup(code).as_json())

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
