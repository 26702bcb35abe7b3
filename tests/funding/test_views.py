"""Fee screens: the certifier and the organisation's administrators see the statements; other members of the
organisation get 403, everyone else 404 (the list: 403 for anyone who administers no evaluator organisation)."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clea.funding.models import FeeEntry, FeeKind
from clea.funding.statements import PARIS, Month
from clea.organisations.models import OrganisationKind, Role
from tests.factories import OrganisationFactory, member
from tests.funding.conftest import ledger_line

pytestmark = pytest.mark.django_db

CAST = ["evaluator", "colleague", "org_admin", "outsider", "trainer", "prescriber", "jury_member", "certifier"]
ALLOWED = {"org_admin", "certifier"}
MEMBERS = {"evaluator", "colleague", "org_admin"}
# "outsider" administers another evaluator organisation: it has a (different) list of its own.
LIST_ALLOWED = {"org_admin", "outsider", "certifier"}
STATEMENT_VIEWS = ["funding:statement", "funding:statement_csv", "funding:statement_pdf"]


def _args(s, month=None):
    month = month or Month.of(s["entry"].occurred_at)
    return [s["organisation"].public_id, month.year, month.month]


@pytest.mark.parametrize("name", CAST)
def test_index_permissions(client, fee_setting, name):
    client.force_login(fee_setting[name])
    response = client.get(reverse("funding:fee_index"))
    assert response.status_code == (200 if name in LIST_ALLOWED else 403)
    if response.status_code == 200:
        shows_org = "Évaluateur A" in response.content.decode()
        assert shows_org == (name in ALLOWED)


@pytest.mark.parametrize("name", CAST)
@pytest.mark.parametrize("view", STATEMENT_VIEWS)
def test_statement_permissions(client, fee_setting, name, view):
    client.force_login(fee_setting[name])
    response = client.get(reverse(view, args=_args(fee_setting)))
    expected = 200 if name in ALLOWED else (403 if name in MEMBERS else 404)
    assert response.status_code == expected


@pytest.mark.parametrize("view", ["funding:fee_index", *STATEMENT_VIEWS])
def test_anonymous_redirected_to_login(client, fee_setting, view):
    args = [] if view == "funding:fee_index" else _args(fee_setting)
    response = client.get(reverse(view, args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_outsider_sees_own_statement(client, fee_setting):
    outsider = fee_setting["outsider"]
    client.force_login(outsider)
    own = outsider.memberships.get().organisation
    month = Month.of(fee_setting["entry"].occurred_at)
    response = client.get(reverse("funding:statement", args=[own.public_id, month.year, month.month]))
    assert response.status_code == 200
    assert "Aucune redevance ce mois-ci" in response.content.decode()


def test_admin_of_a_training_organisation_is_refused(client, fee_setting):
    admin = member(OrganisationKind.TRAINING, Role.ADMIN)
    own = admin.memberships.get().organisation
    client.force_login(admin)
    assert client.get(reverse("funding:fee_index")).status_code == 403
    response = client.get(reverse("funding:statement", args=[own.public_id, 2026, 11]))
    assert response.status_code == 403


@pytest.mark.parametrize(("year", "month"), [(2026, 13), (2026, 0), (1999, 1)])
def test_invalid_month_is_404(client, fee_setting, year, month):
    client.force_login(fee_setting["org_admin"])
    response = client.get(reverse("funding:statement", args=[fee_setting["organisation"].public_id, year, month]))
    assert response.status_code == 404


def test_statement_page_content(client, fee_setting):
    s = fee_setting
    ledger_line(s["dossier"], s["organisation"], s["entry"].occurred_at, kind=FeeKind.CERTIFICATE, amount_cents=500)
    client.force_login(s["org_admin"])
    response = client.get(reverse("funding:statement", args=_args(s)))
    page = response.content.decode()
    month = Month.of(s["entry"].occurred_at)
    assert f"Relevé de redevances — {month.label}" in page
    assert "Évaluation préalable" in page and "Certificat délivré" in page
    assert "20,00" in page and "5,00" in page and "25,00" in page
    assert str(s["dossier"].public_id) in page
    assert "L. DURAND" in page and "Léa" not in page
    assert reverse("funding:statement_csv", args=_args(s)) in page
    assert reverse("funding:statement_pdf", args=_args(s)) in page


def test_csv_download(client, fee_setting):
    s = fee_setting
    client.force_login(s["certifier"])
    response = client.get(reverse("funding:statement_csv", args=_args(s)))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    month = Month.of(s["entry"].occurred_at)
    assert response["Content-Disposition"] == (
        f'attachment; filename="redevances-{s["organisation"].siret}-{month.slug}.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Date" and rows[0][-1] == "Montant HT (€)"
    assert rows[1][1:] == [str(s["dossier"].public_id), "L. DURAND", "CléA", "Évaluation préalable", "20,00"]
    assert rows[-1] == ["Total HT", "", "", "", "1 ligne(s)", "20,00"]


def test_pdf_download(client, fee_setting):
    client.force_login(fee_setting["org_admin"])
    response = client.get(reverse("funding:statement_pdf", args=_args(fee_setting)))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].endswith('.pdf"')


def test_index_rows_and_totals(client, fee_setting):
    s = fee_setting
    ledger_line(s["dossier"], s["organisation"], s["entry"].occurred_at, kind=FeeKind.CERTIFICATE, amount_cents=500)
    client.force_login(s["org_admin"])
    page = client.get(reverse("funding:fee_index")).content.decode()
    assert "1 relevé mensuel" in page
    assert "25,00" in page
    assert reverse("funding:statement", args=_args(s)) in page


def _spread(s, organisations, months):
    """One préalable per organisation and month, dated in the last half hour of each month (Paris time)."""
    for organisation in organisations:
        for month in months:
            last_evening = month.end.astimezone(PARIS) - datetime.timedelta(minutes=30)
            ledger_line(s["dossier"], organisation, last_evening)


def _months(count):
    month, out = Month(2024, 1), []
    for _ in range(count):
        out.append(month)
        month = month.next()
    return out


def test_certifier_filters(client, fee_setting):
    s = fee_setting
    FeeEntry.objects.all().delete()
    other = OrganisationFactory(name="Organisme Breton", siret="")
    _spread(s, [s["organisation"], other], _months(14))  # January 2024 to February 2025
    client.force_login(s["certifier"])
    url = reverse("funding:fee_index")
    assert client.get(url).context["page_obj"].paginator.count == 28
    assert client.get(url, {"q": "breton"}).context["page_obj"].paginator.count == 14
    assert client.get(url, {"q": s["organisation"].siret}).context["page_obj"].paginator.count == 14
    assert client.get(url, {"year": 2025}).context["page_obj"].paginator.count == 4
    rows = client.get(url, {"year": 2024, "q": "breton"}).context["page_obj"].object_list
    assert [row.month for row in rows] == list(reversed(_months(12)))  # 23:30 on the last day stays in its month
    assert client.get(url, {"certification": s["clea"].pk}).context["page_obj"].paginator.count == 28
    assert client.get(url, {"year": "abc"}).status_code == 200


def test_org_admin_list_limited_to_own_organisation(client, fee_setting):
    s = fee_setting
    other = OrganisationFactory(name="Organisme Breton")
    _spread(s, [other], _months(3))
    client.force_login(s["org_admin"])
    response = client.get(reverse("funding:fee_index"), {"q": "breton"})  # ignored: no such filter for them
    assert response.context["page_obj"].paginator.count == 1
    assert "Organisme Breton" not in response.content.decode()


def test_pagination(client, fee_setting):
    s = fee_setting
    _spread(s, [s["organisation"]], _months(30))
    client.force_login(s["certifier"])
    url = reverse("funding:fee_index")
    first = client.get(url)
    assert first.context["page_obj"].paginator.num_pages == 2
    assert len(first.context["page_obj"].object_list) == 25
    second = client.get(url, {"page": 2})
    assert len(second.context["page_obj"].object_list) == 6


def _list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("funding:fee_index"))
    assert response.status_code == 200
    return len(queries), response.context["page_obj"].paginator.count


@pytest.mark.parametrize("name", ["certifier", "org_admin"])
def test_list_query_count_is_constant(client, fee_setting, name):
    s = fee_setting
    client.force_login(s[name])
    few_queries, few_rows = _list_queries(client)
    organisations = [s["organisation"], *(OrganisationFactory() for _ in range(5))]
    _spread(s, organisations, _months(6))
    many_queries, many_rows = _list_queries(client)
    assert many_rows > few_rows
    assert many_queries == few_queries
