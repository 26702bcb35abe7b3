"""Bad bytes and forged forms get a French answer before anything reads them; every answer carries the
platform's security headers."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from clea.api.base import FORBIDDEN_TEXT, UNREADABLE_JSON
from clea.lib.failures import CSRF_REFUSED
from clea.lib.middleware import NUL_REFUSED, TOO_LARGE

pytestmark = pytest.mark.django_db


def test_nul_in_a_query_string_is_a_french_400(client):
    response = client.get(reverse("directory:search") + "?commune=ab%00cd")
    assert response.status_code == 400 and escape(NUL_REFUSED) in response.content.decode()


def test_nul_in_the_api_path_is_a_json_400(client):
    response = client.get("/api/v1/verification/ab%00cd/")
    assert response.status_code == 400 and response.json() == {"detail": NUL_REFUSED}


def test_nul_in_a_posted_form_is_refused_before_the_view(client, path_setting):
    client.force_login(path_setting["evaluator"])
    response = client.post(reverse("dossiers:open"), {"birth_name": "Dur\x00and"})
    assert response.status_code == 400 and escape(NUL_REFUSED) in response.content.decode()


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ('{"q": "Dur\\u0000and"}', FORBIDDEN_TEXT),
        ('{"q": "\\ud800"}', FORBIDDEN_TEXT),
        ('{"q": ["ok", {"x": "a\\u0000"}]}', FORBIDDEN_TEXT),
        ('{"q": ', UNREADABLE_JSON),
    ],
)
def test_api_json_bodies_with_unstorable_text_are_a_french_400(client, path_setting, body, detail):
    client.force_login(path_setting["evaluator"])
    response = client.post(reverse("api:dossier-search"), body, content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"] == detail


TEN_MB = 10 * 1024 * 1024


def test_a_10_mb_api_body_is_a_french_413_and_nothing_is_read(client, path_setting, django_assert_max_num_queries):
    client.force_login(path_setting["evaluator"])
    body = '{"q": "' + "a" * TEN_MB + '"}'
    with django_assert_max_num_queries(0):  # not even the session: refused before anything
        response = client.post(reverse("api:dossier-search"), body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": TOO_LARGE.format(limit=5)}


def test_a_10_mb_form_is_a_french_413_page(client, path_setting):
    client.force_login(path_setting["evaluator"])
    response = client.post(reverse("dossiers:open"), {"birth_name": "a" * TEN_MB})
    assert response.status_code == 413
    assert escape(TOO_LARGE.format(limit=5)) in response.content.decode()
    assert "Erreur 413" in response.content.decode()


def test_a_body_just_under_the_limit_reaches_the_view(client, path_setting, settings):
    client.force_login(path_setting["evaluator"])
    settings.REQUEST_MAX_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    body = '{"q": "' + "a" * 100 + '", "padding": "' + "b" * 3800 + '"}'
    assert len(body) < 4096
    response = client.post(reverse("api:dossier-search"), body, content_type="application/json")
    assert response.status_code == 200


def test_a_forged_form_gets_a_french_403():
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403 and escape(CSRF_REFUSED) in response.content.decode()


def test_every_answer_carries_a_permissions_policy(client):
    for url in (reverse("pages:home"), "/introuvable/", reverse("api:referentiel-list")):
        assert "camera=()" in client.get(url)["Permissions-Policy"]
