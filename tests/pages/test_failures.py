"""While the database is unreachable: a French 503 with Retry-After (pages), a JSON 503 (API); health says so."""

import pytest
from django.db.utils import OperationalError
from django.test import Client
from django.urls import reverse

from clea.lib import failures

pytestmark = pytest.mark.django_db


def broken(*args, **kwargs):
    raise OperationalError("connection to server failed")


@pytest.fixture
def lenient_client():
    """A browser's view: the server's answer, not the exception."""
    return Client(raise_request_exception=False)


def test_a_page_answers_a_french_503_while_the_database_is_down(lenient_client, monkeypatch):
    monkeypatch.setattr("clea.pages.views.render", broken)
    response = lenient_client.get(reverse("pages:home"))
    assert response.status_code == 503 and response["Retry-After"] == str(failures.RETRY_AFTER_SECONDS)
    page = response.content.decode()
    assert "Service momentanément indisponible" in page and 'lang="fr"' in page


def test_the_api_answers_a_json_503_while_the_database_is_down(lenient_client, monkeypatch):
    monkeypatch.setattr("clea.api.referentiels.ReferentielListView.get_queryset", broken)
    response = lenient_client.get(reverse("api:referentiel-list"))
    assert response.status_code == 503 and response["Retry-After"]
    assert response.json() == {"detail": failures.UNAVAILABLE}


def test_a_database_error_in_a_middleware_is_a_503_too(lenient_client, monkeypatch):
    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", broken)
    lenient_client.cookies["sessionid"] = "x" * 32
    response = lenient_client.get(reverse("pages:dashboard"))
    assert response.status_code == 503


def test_any_other_error_is_a_french_500_without_retry_after(lenient_client, monkeypatch):
    monkeypatch.setattr("clea.pages.views.render", lambda *a, **k: 1 / 0)
    response = lenient_client.get(reverse("pages:home"))
    assert response.status_code == 500 and "Retry-After" not in response
    assert "Erreur inattendue" in response.content.decode()


def test_french_404_page(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404 and "Page non trouvée" in response.content.decode()


def test_health_reports_database_cache_and_queue_without_personal_data(client):
    response = client.get(reverse("pages:health"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["cache"] == "ok"
    assert set(body["queue"]) == {"ready", "running", "failed_last_24h"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_health_is_503_when_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr("clea.pages.health._database", lambda: False)
    response = client.get(reverse("pages:health"))
    assert (
        response.status_code == 503 and response.json()["database"] == "indisponible" and "queue" not in response.json()
    )


@pytest.mark.parametrize("path", ["/api/v1/nulle-part/", "/api/v1/dossiers/pas-un-uuid/"])
def test_unknown_api_paths_answer_json_404_in_french(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.json() == {"detail": failures.NOT_FOUND}


def test_a_page_denied_by_a_view_is_french(client, path_setting):
    client.force_login(path_setting["evaluator"])
    response = client.get(reverse("certificates:list"))
    assert response.status_code == 403 and "Accès refusé" in response.content.decode()
