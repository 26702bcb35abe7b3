"""Fee statements (docs/rules.md rule 19): the certifier sees every evaluator organisation, an organisation's
administrators see their own; other members get 403, people outside the organisation get 404."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from clea.funding import statements
from clea.funding.models import FeeEntry
from clea.funding.permissions import administered_evaluators, can_see_fee_statements
from clea.funding.statements import Month
from clea.organisations.access import get_organisation_for_user_or_404
from clea.organisations.permissions import can_view_fees, is_certifier
from clea.referentiel.models import Certification

PAGE_SIZE = 25
SELECT = {"class": "fr-select"}


class FeeFilterForm(forms.Form):
    q = forms.CharField(label="Organisme (nom ou SIRET)", required=False)
    year = forms.IntegerField(label="Année", required=False, min_value=2000, max_value=2998)
    certification = forms.ModelChoiceField(
        label="Certification",
        required=False,
        queryset=Certification.objects.order_by("name"),
        empty_label="Toutes",
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, certifier: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not certifier:
            del self.fields["q"]


@dataclass(frozen=True)
class MonthRow:
    month: Month
    organisation_public_id: str
    organisation_name: str
    organisation_siret: str
    initial_count: int
    certificate_count: int
    count: int
    total_cents: int

    @property
    def total_display(self) -> str:
        return statements.euros(self.total_cents)

    @classmethod
    def from_row(cls, row: dict) -> MonthRow:
        return cls(
            month=Month.of(row["month"]),
            organisation_public_id=str(row["organisation__public_id"]),
            organisation_name=row["organisation__name"],
            organisation_siret=row["organisation__siret"],
            initial_count=row["initial_count"],
            certificate_count=row["certificate_count"],
            count=row["count"],
            total_cents=row["total"],
        )


def fee_index(request):
    if not can_see_fee_statements(request.user):
        raise PermissionDenied("Réservé au certificateur et aux administrateurs des organismes évaluateurs.")
    certifier = is_certifier(request.user)
    own = [] if certifier else administered_evaluators(request.user)
    entries = FeeEntry.objects.all() if certifier else FeeEntry.objects.filter(organisation__in=own)
    filters = FeeFilterForm(request.GET or None, certifier=certifier)
    if filters.is_valid():
        query = (filters.cleaned_data.get("q") or "").strip()
        if query:
            entries = entries.filter(
                Q(organisation__name__icontains=query) | Q(organisation__siret=query.replace(" ", ""))
            )
        if filters.cleaned_data["year"]:
            entries = statements.in_year(entries, filters.cleaned_data["year"])
        if filters.cleaned_data["certification"]:
            entries = entries.filter(certification=filters.cleaned_data["certification"])
    page = Paginator(statements.monthly_totals(entries), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = [MonthRow.from_row(row) for row in page.object_list]
    query_prefix = request.GET.copy()
    query_prefix.pop("page", None)
    current = Month.of(timezone.now())
    return render(
        request,
        "funding/fee_index.html",
        {
            "title": "Redevances",
            "page_obj": page,
            "filters": filters,
            "query_prefix": query_prefix.urlencode() + "&" if query_prefix else "",
            "is_certifier": certifier,
            "own_organisations": own,
            "current_month": current,
        },
    )


def _statement(request, public_id, year: int, month: int) -> statements.Statement:
    organisation = get_organisation_for_user_or_404(request.user, public_id)
    if not can_view_fees(request.user, organisation):
        raise PermissionDenied("Réservé au certificateur et aux administrateurs de l'organisme.")
    try:
        period = Month(year, month)
    except ValueError:
        raise Http404("Mois invalide.") from None
    return statements.monthly_statement(organisation, period)


def statement_page(request, public_id, year, month):
    statement = _statement(request, public_id, year, month)
    return render(
        request,
        "funding/statement.html",
        {
            "title": f"Redevances de {statement.month.label} — {statement.organisation.name}",
            "statement": statement,
            "previous": statement.month.previous(),
            "next": statement.month.next() if statement.month < Month.of(timezone.now()) else None,
        },
    )


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def statement_csv(request, public_id, year, month):
    statement = _statement(request, public_id, year, month)
    return _download(
        statements.statement_csv(statement), "text/csv; charset=utf-8", statements.filename(statement, "csv")
    )


def statement_pdf(request, public_id, year, month):
    statement = _statement(request, public_id, year, month)
    today: datetime.date = timezone.localdate()
    pdf = statements.statement_pdf(statement, base_url=request.build_absolute_uri("/"), today=today)
    return _download(pdf, "application/pdf", statements.filename(statement, "pdf"))
