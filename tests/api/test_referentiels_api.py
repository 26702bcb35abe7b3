"""API v1: référentiels in force (public), drafts for the certifier only, token authentication."""

import pytest
from rest_framework.test import APIClient

from clea.referentiel.documents import ParsedDocument
from clea.referentiel.models import ReferentielVersion
from clea.referentiel.services import import_version
from tests.api.auth import token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_list_active_referentiels(api, referentiels):
    response = api.get("/api/v1/referentiels/")
    assert response.status_code == 200
    codes = {item["code"]: item for item in response.json()}
    assert set(codes) == {"CLEA", "CLEA_NUMERIQUE"}
    assert codes["CLEA_NUMERIQUE"]["provisional"] is True


def test_clea_detail_has_7_28_106(api, referentiels):
    data = api.get("/api/v1/referentiels/CLEA/").json()
    assert data["counts"] == {"domains": 7, "subdomains": 28, "criteria": 106}
    assert len(data["domains"]) == 7
    assert sum(len(d["subdomains"]) for d in data["domains"]) == 28
    first = data["domains"][0]["subdomains"][0]
    assert first["threshold_percent"] == "75"
    assert first["criteria"][0]["code"] == "1.1.1"
    assert data["rule_profile"]["max_initial_assessment_minutes"] == 420


def test_detail_query_count(api, referentiels, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        api.get("/api/v1/referentiels/CLEA/")


def test_unknown_code_is_404_in_french(api, referentiels):
    response = api.get("/api/v1/referentiels/INCONNU/")
    assert response.status_code == 404
    assert response.json()["detail"] == "Aucun référentiel correspondant."


def _draft(referentiels):
    active = referentiels["CLEA"]
    return import_version(ParsedDocument(spec=active.to_spec(), has_profile=True), certification=active.certification)


@pytest.mark.parametrize(
    ("name", "status"), [("certifier", 200), ("evaluator", 404), ("outsider", 404), ("anonymous", 404)]
)
def test_draft_version_only_for_certifier_with_token(api, cast, referentiels, name, status):
    draft = _draft(referentiels)
    if name != "anonymous":
        api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(cast[name])}")
    response = api.get(f"/api/v1/referentiels/CLEA/?version={draft.number}")
    assert response.status_code == status


def test_bad_token_is_401(api, referentiels):
    api.credentials(HTTP_AUTHORIZATION="Token pas-un-vrai-jeton")
    assert api.get("/api/v1/referentiels/").status_code == 401


def test_schema_and_docs_without_cdn(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/referentiels/{code}/" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "swagger-ui" in page
    assert "cdn." not in page and "unpkg" not in page and "jsdelivr" not in page
    assert ReferentielVersion.objects.count() == 0
