"""The funding an employer brings, through the API as on its screen (``clea.absences.views_funding``):
only while the employee involves it (rule 15: otherwise 404), and only its own lines change."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from clea.absences.access import (
    get_employee_dossier_or_404,
    get_employer_funding_line_or_404,
    recorded_by_own_employer,
)
from clea.api.base import ERRORS, ApiView, PublicIdField, require
from clea.api.dossiers import FundingStateField
from clea.api.funding import FundingLineDetailSerializer
from clea.funding import schemes
from clea.funding import services as funding
from clea.funding.models import FundingScheme, FundingState, FundingStep

SCHEMES_HELP = (
    "Dispositifs de l'employeur : "
    + " ; ".join(f"{s} ({FundingScheme(s).label}, réservé {r.audience})" for s, r in schemes.EMPLOYER_SCHEMES.items())
    + ". Le CPF lui-même est celui du salarié : refusé en 400."
)


class EmployerFundingInputSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=FundingStep.choices)
    scheme = serializers.ChoiceField(
        choices=[(s, FundingScheme(s).label) for s in FundingScheme.values], help_text=SCHEMES_HELP
    )
    opco = PublicIdField(
        queryset=funding.opco_organisations(),
        required=False,
        allow_null=True,
        default=None,
        help_text="L'OPCO qui finance (obligatoire pour pro_a et professionalisation) : une organisation "
        "prescriptrice de type OPCO de la plateforme.",
    )
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    state = FundingStateField(required=False, default=FundingState.PLANNED)


def _line_response(line, code=status.HTTP_200_OK) -> Response:
    fresh = type(line).objects.select_related("recorded_by_employer").get(pk=line.pk)
    return Response(FundingLineDetailSerializer(fresh).data, status=code)


class EmployerFundingCreateView(ApiView):
    serializer_class = EmployerFundingInputSerializer

    @extend_schema(
        operation_id="dossiers_employer_funding_lines_create",
        summary="Enregistrer un financement de l'employeur (plan, abondement CPF, Pro-A, contrat de pro, POE)",
        description="Pour l'employeur que le salarié associe à son parcours (sinon 404). Le dispositif doit "
        "convenir au statut du candidat (400 sur `scheme` sinon). Le financeur est écrit par la plateforme : "
        "l'employeur (plan, abondement), l'OPCO choisi (Pro-A, contrat de professionnalisation) ou France "
        "Travail (POE).",
        request=EmployerFundingInputSerializer,
        responses={201: FundingLineDetailSerializer, **ERRORS},
    )
    def post(self, request, id):
        dossier = get_employee_dossier_or_404(request.user, id)
        assert dossier.employer is not None  # employee_dossiers only holds dossiers with an employer
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        line = funding.add_employer_funding(dossier, employer=dossier.employer, by=request.user, **data.validated_data)
        return _line_response(line, status.HTTP_201_CREATED)


class EmployerFundingLineView(ApiView):
    serializer_class = EmployerFundingInputSerializer

    @extend_schema(
        operation_id="employer_funding_lines_partial_update",
        summary="Modifier un financement que l'employeur a enregistré (par exemple son état : accordé, versé)",
        description="Seule l'entreprise qui a enregistré la ligne la modifie (403 sinon) ; 404 si le salarié ne "
        "l'associe plus à son parcours. Les champs absents gardent leur valeur.",
        request=EmployerFundingInputSerializer(partial=True),
        responses={200: FundingLineDetailSerializer, **ERRORS},
    )
    def patch(self, request, id):
        line = get_employer_funding_line_or_404(request.user, id)
        require(recorded_by_own_employer(request.user, line), funding.NOT_YOUR_LINE)
        employer = line.recorded_by_employer
        assert employer is not None  # recorded_by_own_employer
        data = self.get_serializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        current = {"step": line.step, "scheme": line.scheme, "amount": line.amount, "state": line.state}
        changes = {**current, **{k: v for k, v in data.validated_data.items() if k in current}}
        opco = data.validated_data.get("opco") or funding.opco_organisations().filter(name=line.funder).first()
        line = funding.change_employer_funding(line, employer=employer, by=request.user, opco=opco, **changes)
        return _line_response(line)
