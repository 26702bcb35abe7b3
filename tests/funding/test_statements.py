"""Monthly statements computed from the fee ledger: amounts from the profile, idempotency, Paris months."""

import csv
import datetime
import io

import pytest

from clea.funding import statements
from clea.funding.fees import record_fee
from clea.funding.models import FeeEntry, FeeKind
from clea.funding.statements import PARIS, DetailLine, Month, Statement
from tests.factories import OrganisationFactory
from tests.funding.conftest import ledger_line

pytestmark = pytest.mark.django_db


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


def test_closed_preamble_records_clea_fee_from_profile(fee_setting):
    entry = fee_setting["entry"]
    assert entry.kind == FeeKind.INITIAL_ASSESSMENT
    assert entry.amount_cents == 2000
    assert entry.organisation == fee_setting["organisation"]
    assert entry.certification == fee_setting["clea"]
    assert entry.dossier == fee_setting["dossier"]
    assert entry.source == f"initial:{fee_setting['initial'].public_id}"


def test_clea_certificate_fee_is_5_euros(fee_setting):
    entry = record_fee(
        dossier=fee_setting["dossier"], kind=FeeKind.CERTIFICATE, occurred_at=paris(2024, 11, 5, 10), source="cert:1"
    )
    assert entry.amount_cents == 500


def test_clea_numerique_certificate_fee_is_10_euros(numerique_dossier, numerique):
    entry = record_fee(
        dossier=numerique_dossier, kind=FeeKind.CERTIFICATE, occurred_at=paris(2024, 11, 5, 10), source="cert:num"
    )
    assert entry.amount_cents == 1000
    assert entry.certification == numerique


def test_same_source_twice_is_one_line(fee_setting):
    dossier, initial = fee_setting["dossier"], fee_setting["initial"]
    again = record_fee(
        dossier=dossier,
        kind=FeeKind.INITIAL_ASSESSMENT,
        occurred_at=paris(2024, 12, 3, 9),
        source=f"initial:{initial.public_id}",
    )
    assert again == fee_setting["entry"]
    for _ in range(2):
        record_fee(dossier=dossier, kind=FeeKind.CERTIFICATE, occurred_at=paris(2024, 11, 5), source="cert:twice")
    assert FeeEntry.objects.count() == 2
    statement = statements.monthly_statement(dossier.evaluator_organisation, Month(2024, 11))
    assert [(line.kind, line.count) for line in statement.summary] == [(FeeKind.CERTIFICATE, 1)]


@pytest.mark.parametrize(
    ("moment", "month"),
    [
        (paris(2024, 11, 30, 23, 30), Month(2024, 11)),  # 22:30 UTC, still November in Paris
        (paris(2024, 12, 1, 0, 30), Month(2024, 12)),  # 23:30 UTC on 30 November, already December in Paris
        (paris(2024, 11, 1, 0, 0), Month(2024, 11)),  # first instant belongs to the month
        (paris(2024, 10, 31, 23, 59, 59), Month(2024, 10)),  # last second of October (winter time)
        (paris(2024, 3, 31, 23, 30), Month(2024, 3)),  # summer time: 21:30 UTC
        (paris(2024, 12, 31, 23, 30), Month(2024, 12)),  # new year's eve
    ],
)
def test_month_boundaries_in_paris_time(fee_setting, moment, month):
    dossier = fee_setting["dossier"]
    FeeEntry.objects.all().delete()
    record_fee(dossier=dossier, kind=FeeKind.CERTIFICATE, occurred_at=moment, source="cert:edge")
    organisation = fee_setting["organisation"]
    for candidate, expected in ((month.previous(), 0), (month, 1), (month.next(), 0)):
        assert statements.monthly_statement(organisation, candidate).count == expected, candidate
    [row] = statements.monthly_totals()
    assert Month.of(row["month"]) == month


def test_statement_groups_by_certification_kind_and_unit_amount(fee_setting, numerique_dossier):
    dossier, organisation = fee_setting["dossier"], fee_setting["organisation"]
    november = Month(2024, 11)
    FeeEntry.objects.all().delete()
    record_fee(dossier=dossier, kind=FeeKind.INITIAL_ASSESSMENT, occurred_at=paris(2024, 11, 2, 9), source="i:1")
    record_fee(dossier=dossier, kind=FeeKind.CERTIFICATE, occurred_at=paris(2024, 11, 20, 9), source="c:1")
    record_fee(dossier=numerique_dossier, kind=FeeKind.CERTIFICATE, occurred_at=paris(2024, 11, 21, 9), source="c:2")
    record_fee(dossier=numerique_dossier, kind=FeeKind.CERTIFICATE, occurred_at=paris(2024, 11, 22, 9), source="c:3")
    other = OrganisationFactory()
    ledger_line(dossier, organisation, paris(2024, 11, 3, 9))  # a second préalable
    ledger_line(dossier, organisation, paris(2024, 11, 4, 9), amount_cents=2500)  # profile changed mid-month
    ledger_line(dossier, other, paris(2024, 11, 4, 9))  # another organisation
    ledger_line(dossier, organisation, paris(2024, 12, 1, 9))  # next month

    statement = statements.monthly_statement(organisation, november)

    summary = [(s.certification, s.kind, s.count, s.unit_cents, s.total_cents) for s in statement.summary]
    assert summary == [
        ("CléA", FeeKind.CERTIFICATE, 1, 500, 500),
        ("CléA", FeeKind.INITIAL_ASSESSMENT, 1, 2500, 2500),
        ("CléA", FeeKind.INITIAL_ASSESSMENT, 2, 2000, 4000),
        ("CléA numérique", FeeKind.CERTIFICATE, 2, 1000, 2000),
    ]
    assert statement.count == 6
    assert statement.total_cents == 9000
    assert statement.total_display == "90,00"
    assert [line.day.day for line in statement.details] == [2, 3, 4, 20, 21, 22]
    first = statement.details[0]
    assert first.candidate == "L. DURAND"
    assert first.dossier_public_id == str(dossier.public_id)
    assert first.amount_display == "20,00"
    assert statement.details[-1].candidate == "L. MARTIN"


def test_statement_queries_do_not_grow_with_rows(fee_setting, django_assert_num_queries):
    dossier, organisation = fee_setting["dossier"], fee_setting["organisation"]
    for day in range(1, 29):
        ledger_line(dossier, organisation, paris(2024, 2, day, 12))
    with django_assert_num_queries(2):
        statement = statements.monthly_statement(organisation, Month(2024, 2))
    assert statement.count == 28 and len(statement.details) == 28


def test_monthly_totals_per_organisation_and_month(fee_setting):
    dossier, organisation = fee_setting["dossier"], fee_setting["organisation"]
    FeeEntry.objects.all().delete()
    other = OrganisationFactory(name="Autre évaluateur")
    ledger_line(dossier, organisation, paris(2024, 10, 31, 23, 30))
    ledger_line(dossier, organisation, paris(2024, 10, 2), kind=FeeKind.CERTIFICATE, amount_cents=500)
    ledger_line(dossier, organisation, paris(2024, 11, 1, 0, 10))
    ledger_line(dossier, other, paris(2024, 11, 15))
    rows = [
        (Month.of(r["month"]), r["organisation__name"], r["initial_count"], r["certificate_count"], r["total"])
        for r in statements.monthly_totals()
    ]
    assert rows == [
        (Month(2024, 11), "Autre évaluateur", 1, 0, 2000),
        (Month(2024, 11), "Évaluateur A", 1, 0, 2000),
        (Month(2024, 10), "Évaluateur A", 1, 1, 2500),
    ]
    in_2025 = statements.monthly_totals(statements.in_year(FeeEntry.objects.all(), 2025))
    assert list(in_2025) == []


def test_csv_for_french_spreadsheets(fee_setting):
    dossier, organisation = fee_setting["dossier"], fee_setting["organisation"]
    record_fee(dossier=dossier, kind=FeeKind.CERTIFICATE, occurred_at=paris(2024, 11, 30, 23, 30), source="c:csv")
    content = statements.statement_csv(statements.monthly_statement(organisation, Month(2024, 11)))
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Date", "Référence du dossier", "Candidat", "Certification", "Objet", "Montant HT (€)"]
    assert ["30/11/2024", str(dossier.public_id), "L. DURAND", "CléA", "Certificat délivré", "5,00"] in rows
    assert rows[-1] == ["Total HT", "", "", "", f"{len(rows) - 2} ligne(s)", rows[-1][-1]]
    assert "Léa" not in content.decode("utf-8-sig")  # first names reduced to an initial


def test_csv_neutralises_formulas_and_sums_credits():
    organisation = OrganisationFactory.build(name="Org", siret="")
    line = DetailLine(paris(2024, 1, 5), "ref", "=HYPERLINK(1)", "CléA", FeeKind.CERTIFICATE, -500)
    statement = Statement(organisation, Month(2024, 1), [], [line])
    rows = list(csv.reader(io.StringIO(statements.statement_csv(statement).decode("utf-8-sig")), delimiter=";"))
    assert rows[1] == ["05/01/2024", "ref", "'=HYPERLINK(1)", "CléA", "Certificat délivré", "-5,00"]


def test_pdf(fee_setting):
    statement = statements.monthly_statement(fee_setting["organisation"], Month.of(fee_setting["entry"].occurred_at))
    pdf = statements.statement_pdf(statement, base_url="http://testserver/", today=datetime.date(2026, 12, 1))
    assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("cents", "text"),
    [(0, "0,00"), (5, "0,05"), (2000, "20,00"), (123456789, "1\u202f234\u202f567,89"), (-1050, "-10,50")],
)
def test_euros(cents, text):
    assert statements.euros(cents) == text


def test_month_arithmetic_and_labels():
    assert Month(2024, 12).next() == Month(2025, 1)
    assert Month(2024, 1).previous() == Month(2023, 12)
    assert Month(2024, 3).previous() == Month(2024, 2)
    assert Month(2024, 11).label == "novembre 2024"
    assert Month(2024, 3).slug == "2024-03"
    assert Month(2024, 3).end == paris(2024, 4, 1)
    assert Month.of(datetime.datetime(2024, 11, 30, 23, 30, tzinfo=datetime.UTC)) == Month(2024, 12)
    for year, month in ((2024, 0), (2024, 13), (1999, 5)):
        with pytest.raises(ValueError):
            Month(year, month)


@pytest.mark.parametrize(
    ("first_names", "birth_name", "label"),
    [("Léa Marie", "Durand", "L. DURAND"), ("élodie", "le Goff", "É. LE GOFF"), ("", "Durand", "DURAND")],
)
def test_candidate_label(first_names, birth_name, label):
    assert statements.candidate_label(first_names, birth_name) == label
