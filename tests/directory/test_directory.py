"""Public directory: who is listed (habilitated today, in the region), order, errors, speed of lists."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clea.geography.models import Commune, Region
from clea.organisations.models import OrganisationKind
from tests.factories import HabilitationFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _evaluator(name, commune_code, postcode, region_codes, certification, **habilitation):
    organisation = OrganisationFactory(
        kind=OrganisationKind.EVALUATOR, name=name, postcode=postcode, commune=Commune.objects.get(code=commune_code)
    )
    today = timezone.localdate()
    dates = {"valid_from": today - datetime.timedelta(days=10), "valid_until": today + datetime.timedelta(days=10)}
    dates.update(habilitation)
    HabilitationFactory(organisation=organisation, certification=certification, **dates).regions.set(
        Region.objects.filter(code__in=region_codes)
    )
    return organisation


@pytest.fixture
def listed(referentiels, geography):
    clea = referentiels["CLEA"].certification
    numerique = referentiels["CLEA_NUMERIQUE"].certification
    return {
        "rennes": _evaluator("Évaluateur Rennes", "35238", "35000", ["53"], clea),
        "brest": _evaluator("Évaluateur Brest", "29019", "29200", ["53"], numerique),
        "lyon": _evaluator("Évaluateur Lyon", "69123", "69003", ["84"], clea),
        "expired": _evaluator(
            "Évaluateur expiré",
            "35238",
            "35000",
            ["53"],
            clea,
            valid_until=timezone.localdate() - datetime.timedelta(days=1),
        ),
        "future": _evaluator(
            "Évaluateur futur",
            "35238",
            "35000",
            ["53"],
            clea,
            valid_from=timezone.localdate() + datetime.timedelta(days=1),
        ),
    }


def names(response):
    return [o.name for o in response.context["page_obj"]]


def test_anonymous_lists_only_organisations_habilitated_today(client, listed):
    response = client.get(reverse("directory:search"))
    assert response.status_code == 200
    assert set(names(response)) == {"Évaluateur Rennes", "Évaluateur Brest", "Évaluateur Lyon"}


def test_withdrawn_habilitation_is_not_listed(client, listed):
    listed["lyon"].habilitations.update(
        withdrawn_at=timezone.now(), withdrawal_reason="audit", withdrawn_on=timezone.localdate()
    )
    assert "Évaluateur Lyon" not in names(client.get(reverse("directory:search")))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"lieu": "35000"}, ["Évaluateur Rennes", "Évaluateur Brest"]),
        ({"lieu": "Brest"}, ["Évaluateur Brest", "Évaluateur Rennes"]),
        ({"departement": "29"}, ["Évaluateur Brest", "Évaluateur Rennes"]),
        ({"region": "84"}, ["Évaluateur Lyon"]),
        ({"lieu": "35000", "certification": "CLEA_NUMERIQUE"}, ["Évaluateur Brest"]),
        ({"lieu": "75011"}, []),
        ({"lieu": "brest"}, ["Évaluateur Brest", "Évaluateur Rennes"]),
        ({"lieu": "RENNES"}, ["Évaluateur Rennes", "Évaluateur Brest"]),
        ({"lieu": "vitre"}, ["Évaluateur Rennes", "Évaluateur Brest"]),
        ({"lieu": "Saint-Malo (35)"}, ["Évaluateur Rennes", "Évaluateur Brest"]),
    ],
    ids=[
        "postcode-same-commune-first",
        "commune-name",
        "departement-first",
        "region",
        "certification",
        "none",
        "lower-case",
        "upper-case",
        "no-accent",
        "as-suggested",
    ],
)
def test_search_by_place_and_certification(client, listed, query, expected):
    assert names(client.get(reverse("directory:search"), query)) == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"lieu": "00000"}, "Ce code postal n'existe pas."),
        ({"lieu": "Rennnes"}, "Aucune commune ne s'appelle ni ne commence par « Rennnes »"),
    ],
)
def test_unknown_place_gets_a_french_message(client, listed, query, message):
    response = client.get(reverse("directory:search"), query)
    assert response.status_code == 400
    assert any(message in e for e in response.context["form"].errors["lieu"])


def test_suggestions_as_one_types(client, geography):
    response = client.get(reverse("geography:commune_suggestions"), {"lieu": "st mal"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="Saint-Malo (35)">35400</option>' in html
    assert html.index("Saint-Malo (35)") < html.index("Saint-Malo-de-Phily")
    assert client.get(reverse("geography:commune_suggestions"), {"lieu": "s"}).content.strip() == b""


def test_the_search_field_asks_for_suggestions(client, geography):
    html = client.get(reverse("directory:search")).content.decode()
    assert 'list="communes-suggerees"' in html and '<datalist id="communes-suggerees">' in html
    assert reverse("geography:commune_suggestions") in html


def test_detail_page_public_and_only_for_listed(client, listed):
    response = client.get(reverse("directory:detail", args=[listed["rennes"].public_id]))
    assert response.status_code == 200 and "CléA" in response.content.decode()
    assert client.get(reverse("directory:detail", args=[listed["expired"].public_id])).status_code == 404


def test_constant_queries(client, listed, referentiels):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("directory:search"), {"lieu": "35000"})
        return len(names(response)), len(queries)

    few, few_queries = run()
    for index in range(15):
        _evaluator(f"Évaluateur {index}", "35238", "35000", ["53"], referentiels["CLEA"].certification)
    many, many_queries = run()
    assert (few, many) == (2, 17)
    assert many_queries == few_queries <= 10
