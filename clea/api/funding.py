"""Funding lines through the API, as on the screens (``clea.funding.views``): per dossier with totals per step,
and the list of lines the user may see (an employer sees their employees').
"""

from __future__ import annotations

from decimal import Decimal

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.mixins import ListModelMixin
from rest_framework.response import Response

from clea.absences.access import funding_visible_dossiers, get_funding_dossier_for_user_or_404
from clea.api.base import (
    ApiView,
    OrganisationRefSerializer,
)
from clea.api.dossiers import (
    FundingLineCreateView,
    FundingLineSerializer,
)
from clea.api.errors import ErrorSerializer
from clea.funding.models import PAID_WORK_TIME, FundingLine, FundingScheme, FundingState, FundingStep

MONEY = {"max_digits": 12, "decimal_places": 2}


class StepTotalSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=FundingStep.choices)
    step_label = serializers.CharField()
    amount = serializers.DecimalField(**MONEY, help_text="Financement prévu, accordé ou versé (hors refusé).")
    planned = serializers.DecimalField(**MONEY)
    agreed = serializers.DecimalField(**MONEY)
    paid = serializers.DecimalField(**MONEY)
    refused = serializers.DecimalField(**MONEY)


class FundingLineDetailSerializer(FundingLineSerializer):
    """A line with what rules 16 and 17 add: the paid work time, and the employer that recorded it."""

    paid_work_hours = serializers.IntegerField(
        allow_null=True,
        help_text="Heures sur le temps de travail, rémunération maintenue par l'employeur (ligne écrite par "
        "l'acceptation d'une demande d'autorisation d'absence ; montant 0 : la rémunération n'est pas un coût "
        "de formation). Null sur les autres lignes.",
    )
    pay_maintained = serializers.BooleanField(
        source="pays_work_time", help_text=f"{PAID_WORK_TIME} (ligne des heures sur le temps de travail)."
    )
    recorded_by_employer = OrganisationRefSerializer(
        allow_null=True, help_text="L'employeur qui a enregistré la ligne (lui seul la modifie) ; null sinon."
    )


class DossierFundingSerializer(serializers.Serializer):
    dossier = serializers.UUIDField()
    lines = FundingLineDetailSerializer(many=True)
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
        dossier = get_funding_dossier_for_user_or_404(request.user, id)
        lines = list(dossier.funding_lines.select_related("recorded_by_employer").order_by("step", "pk"))
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


class FundingLineEntrySerializer(FundingLineDetailSerializer):
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
            FundingLine.objects.filter(dossier__in=funding_visible_dossiers(self.request.user).values("pk"))
            .select_related(
                "dossier__candidate",
                "dossier__certification",
                "dossier__evaluator_organisation",
                "recorded_by_employer",
            )
            .order_by("-created_at", "-pk")
        )

    @extend_schema(
        operation_id="funding_lines_list",
        summary="Lignes de financement des dossiers visibles (et, pour un employeur, de ses salariés), filtrables "
        "par étape, dispositif et état",
    )
    def get(self, request):
        return self.list(request)
