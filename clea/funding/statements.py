"""Monthly fee statements of an evaluator organisation (docs/rules.md rule 19), read from the FeeEntry ledger.

A month is a calendar month in Paris time: an event at 23:30 on the last day belongs to that month,
whatever its UTC date. Amounts are in cents, excluding VAT (HT); no VAT is computed here. Counts and
totals are computed by the database (``values()`` + ``annotate()``); only the detail lines of one
organisation's month are read row by row, because they are printed row by row.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, DateField, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from clea.funding.models import FeeEntry, FeeKind
from clea.lib.exports import SafeWriter
from clea.organisations.models import Organisation

PARIS = ZoneInfo("Europe/Paris")
KIND_LABELS = dict(FeeKind.choices)


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 2000 <= self.year <= 2999:
            raise ValueError(f"Mois invalide : {self.year}-{self.month}.")

    @classmethod
    def of(cls, moment: datetime.datetime | datetime.date) -> Month:
        if isinstance(moment, datetime.datetime):
            moment = timezone.localtime(moment, PARIS)
        return cls(moment.year, moment.month)

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def start(self) -> datetime.datetime:
        """First instant of the month in Paris time (aware)."""
        return datetime.datetime(self.year, self.month, 1, tzinfo=PARIS)

    @property
    def end(self) -> datetime.datetime:
        """First instant of the next month in Paris time (exclusive bound)."""
        return self.next().start

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    @property
    def label(self) -> str:
        return date_format(self.first_day, "F Y")

    @property
    def slug(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class SummaryLine:
    """Fees of one certification and one kind at one unit amount (a change of profile splits the line)."""

    certification: str
    kind: str
    count: int
    unit_cents: int
    total_cents: int

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def unit_display(self) -> str:
        return euros(self.unit_cents)

    @property
    def total_display(self) -> str:
        return euros(self.total_cents)


@dataclass(frozen=True)
class DetailLine:
    occurred_at: datetime.datetime
    dossier_public_id: str
    candidate: str
    certification: str
    kind: str
    amount_cents: int

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def day(self) -> datetime.date:
        return timezone.localtime(self.occurred_at, PARIS).date()

    @property
    def amount_display(self) -> str:
        return euros(self.amount_cents)


@dataclass(frozen=True)
class Statement:
    organisation: Organisation
    month: Month
    summary: list[SummaryLine]
    details: list[DetailLine]

    @property
    def total_cents(self) -> int:
        return sum(line.total_cents for line in self.summary)

    @property
    def count(self) -> int:
        return sum(line.count for line in self.summary)

    @property
    def total_display(self) -> str:
        return euros(self.total_cents)


def euros(cents: int) -> str:
    """French display of an amount in cents: 1234567 → "12 345,67" (narrow no-break space for thousands)."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    return f"{sign}{units:,}".replace(",", "\u202f") + f",{rest:02d}"


def candidate_label(first_names: str, birth_name: str) -> str:
    """Minimal identification on a statement: initial of the first first name and the birth name."""
    first = (first_names or "").strip()
    initial = f"{first[0].upper()}. " if first else ""
    return f"{initial}{birth_name.strip().upper()}"


def entries_in(organisation: Organisation, month: Month) -> QuerySet[FeeEntry]:
    return FeeEntry.objects.filter(organisation=organisation, occurred_at__gte=month.start, occurred_at__lt=month.end)


def summary_lines(entries: QuerySet[FeeEntry]) -> list[SummaryLine]:
    rows = (
        entries.order_by()
        .values("certification__name", "kind", "amount_cents")
        .annotate(count=Count("pk"), total=Sum("amount_cents"))
        .order_by("certification__name", "kind", "-amount_cents")
    )
    return [
        SummaryLine(
            certification=row["certification__name"],
            kind=row["kind"],
            count=row["count"],
            unit_cents=row["amount_cents"],
            total_cents=row["total"],
        )
        for row in rows
    ]


def detail_lines(entries: QuerySet[FeeEntry]) -> list[DetailLine]:
    rows = entries.order_by("occurred_at", "pk").values_list(
        "occurred_at",
        "dossier__public_id",
        "dossier__candidate__first_names",
        "dossier__candidate__birth_name",
        "certification__name",
        "kind",
        "amount_cents",
    )
    return [
        DetailLine(
            occurred_at=occurred_at,
            # Campaign fees have no dossier: the reference and candidate columns stay empty.
            dossier_public_id=str(public_id) if public_id else "",
            candidate=candidate_label(first_names, birth_name) if public_id else "",
            certification=certification,
            kind=kind,
            amount_cents=amount,
        )
        for occurred_at, public_id, first_names, birth_name, certification, kind, amount in rows
    ]


def monthly_statement(organisation: Organisation, month: Month) -> Statement:
    """The statement of one organisation for one month: two queries."""
    entries = entries_in(organisation, month)
    return Statement(organisation, month, summary_lines(entries), detail_lines(entries))


def monthly_totals(entries: QuerySet[FeeEntry] | None = None) -> QuerySet:
    """One row per organisation and Paris month: counts per kind and total, newest month first.

    Rows are dicts with ``month`` (date, first day), ``organisation__public_id``, ``organisation__name``,
    ``organisation__siret``, ``initial_count``, ``certificate_count``, ``count`` and ``total``.
    """
    entries = FeeEntry.objects.all() if entries is None else entries
    return (
        entries.order_by()
        .annotate(month=TruncMonth("occurred_at", output_field=DateField(), tzinfo=PARIS))
        .values("month", "organisation_id", "organisation__public_id", "organisation__name", "organisation__siret")
        .annotate(
            initial_count=Count("pk", filter=Q(kind=FeeKind.INITIAL_ASSESSMENT)),
            certificate_count=Count("pk", filter=Q(kind=FeeKind.CERTIFICATE)),
            count=Count("pk"),
            total=Sum("amount_cents"),
        )
        .order_by("-month", "organisation__name", "organisation_id")
    )


def in_year(entries: QuerySet[FeeEntry], year: int) -> QuerySet[FeeEntry]:
    return entries.filter(occurred_at__gte=Month(year, 1).start, occurred_at__lt=Month(year + 1, 1).start)


# Exports ---------------------------------------------------------------------------------------------------

CSV_HEADER = [
    "Date",
    "Référence du dossier",
    "Candidat",
    "Certification",
    "Objet",
    "Montant HT (€)",
]


def statement_csv(statement: Statement) -> bytes:
    """UTF-8 with BOM, ";" separator and decimal comma, as French spreadsheets expect; one row per fee."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for line in statement.details:
        writer.writerow(
            [
                line.day.strftime("%d/%m/%Y"),
                line.dossier_public_id,
                line.candidate,
                line.certification,
                line.kind_label,
                euros(line.amount_cents).replace("\u202f", ""),
            ]
        )
    total = euros(statement.total_cents).replace("\u202f", "")
    writer.writerow(["Total HT", "", "", "", f"{statement.count} ligne(s)", total])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def statement_pdf(statement: Statement, *, base_url: str, today: datetime.date) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is only needed for PDFs

    html = render_to_string("funding/statement_pdf.html", {"statement": statement, "today": today})
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")


def filename(statement: Statement, extension: str) -> str:
    """No personal data and no accents in the file name: the SIRET (or the public id) and the month."""
    who = statement.organisation.siret or str(statement.organisation.public_id)[:8]
    return f"redevances-{who}-{statement.month.slug}.{extension}"
