"""The public directory through the API, the same search as the /annuaire/ page: no account, no
authentication class.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.mixins import ListModelMixin
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from clea.api.base import (
    CommuneRefSerializer,
    PublicApiView,
    refuse,
    today,
)
from clea.api.errors import ErrorSerializer
from clea.api.jury import RegionSerializer
from clea.directory.access import get_listed_organisation_or_404
from clea.directory.search import Place, search
from clea.geography.models import Commune, Departement, Postcode, Region
from clea.organisations.models import Organisation
from clea.referentiel.models import Certification


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
        found = get_listed_organisation_or_404(id, today())
        return Response(DirectoryOrganisationSerializer(found).data)
