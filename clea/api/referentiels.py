"""GET /api/v1/referentiels/ and /api/v1/referentiels/{code}/: the version in force, nested."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from clea.referentiel.models import ReferentielVersion, VersionStatus


class CriterionSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    indicator = serializers.CharField()
    weight = serializers.IntegerField()
    mandatory = serializers.BooleanField()


class SubdomainSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    threshold_percent = serializers.SerializerMethodField()
    criteria = CriterionSerializer(many=True)

    def get_threshold_percent(self, obj) -> str:
        return str(obj.threshold_percent.normalize())


class DomainSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    subdomains = SubdomainSerializer(many=True)


class RuleProfileSerializer(serializers.Serializer):
    overall_threshold_percent = serializers.SerializerMethodField()
    max_initial_assessment_minutes = serializers.IntegerField()
    max_final_assessment_minutes = serializers.IntegerField()
    path_validity_years = serializers.IntegerField()
    jury_min_members_per_college = serializers.IntegerField()
    fee_initial_assessment_cents = serializers.IntegerField()
    fee_certificate_cents = serializers.IntegerField()

    def get_overall_threshold_percent(self, obj) -> str:
        return str(obj.overall_threshold_percent.normalize())


class VersionSummarySerializer(serializers.Serializer):
    code = serializers.CharField(source="certification.code")
    name = serializers.CharField(source="certification.name")
    version = serializers.IntegerField(source="number")
    id = serializers.UUIDField(source="public_id")
    label = serializers.CharField()
    status = serializers.CharField()
    provisional = serializers.BooleanField()
    activated_at = serializers.DateTimeField()


class VersionDetailSerializer(VersionSummarySerializer):
    rule_profile = RuleProfileSerializer(source="profile")
    domains = DomainSerializer(many=True)
    counts = serializers.SerializerMethodField()

    def get_counts(self, obj) -> dict[str, int]:
        domains = list(obj.domains.all())
        subdomains = [s for d in domains for s in d.subdomains.all()]
        return {
            "domains": len(domains),
            "subdomains": len(subdomains),
            "criteria": sum(len(s.criteria.all()) for s in subdomains),
        }


class ReferentielListView(GenericAPIView):
    # The référentiels in force are public knowledge; drafts stay the certifier's.
    permission_classes = [AllowAny]
    serializer_class = VersionSummarySerializer
    pagination_class = None

    def get_queryset(self):
        return (
            ReferentielVersion.objects.filter(status=VersionStatus.ACTIVE)
            .select_related("certification")
            .order_by("certification__code")
        )

    @extend_schema(
        operation_id="referentiels_list",
        summary="Référentiels en vigueur, une entrée par certification",
        responses=VersionSummarySerializer(many=True),
    )
    def get(self, request):
        return Response(self.get_serializer(self.get_queryset(), many=True).data)


class ReferentielDetailView(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = VersionDetailSerializer

    def get_queryset(self):
        return ReferentielVersion.objects.visible_to(self.request.user).with_structure()

    @extend_schema(
        operation_id="referentiels_retrieve",
        summary="Version d'un référentiel avec domaines, sous-domaines et critères",
        parameters=[OpenApiParameter("version", int, description="Numéro de version (par défaut : celle en vigueur).")],
    )
    def get(self, request, code):
        versions = self.get_queryset().filter(certification__code=code)
        number = request.query_params.get("version")
        if number is None:
            versions = versions.filter(status=VersionStatus.ACTIVE)
        elif number.isdigit():
            versions = versions.filter(number=int(number))
        else:
            raise NotFound("Numéro de version invalide.")
        version = versions.first()
        if version is None:
            raise NotFound("Aucun référentiel correspondant.")
        return Response(self.get_serializer(version).data)
