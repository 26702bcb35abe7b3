"""Public verification: valid, revoked or unknown; masked name; no login; rate limit; nothing to enumerate."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clea.certificates import codes, services

pytestmark = pytest.mark.django_db


def api_url(code):
    """The JSON verification, where config/urls.py mounts it (``api:verification``, /api/v1/verification/)."""
    return reverse("api:verification", args=[code])


def page(client, code):
    return client.get(reverse("verification:result", args=[code]))


def test_valid_certificate_without_login(client, certificate):
    response = page(client, certificate.verification_code)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Certificat valide" in body
    assert "Léa D." in body
    assert certificate.number in body
    assert "27 novembre 2026" in body
    # Nothing more about the holder: no full name, no birth date.
    assert certificate.holder_birth_name not in body
    assert "Marie" not in body
    assert "1990" not in body
    assert response["Cache-Control"].startswith("max-age=0") and "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_code_typed_with_dashes_and_lower_case(client, certificate):
    typed = codes.display(certificate.verification_code).lower()
    assert "Certificat valide" in page(client, typed).content.decode()


def test_revoked_certificate(client, path_setting, certificate):
    services.revoke(certificate, reason="Fraude établie", by=path_setting["certifier"])
    body = page(client, certificate.verification_code).content.decode()
    assert "Certificat retiré" in body
    assert "Fraude" not in body  # the reason stays internal
    assert "Certificat valide" not in body


@pytest.mark.parametrize("code", ["ABCDEFGHJKMNPQRSTVWX", "0000", "x" * 64, "%27%20OR%201%3D1"])
def test_unknown_code_says_unknown_and_nothing_else(client, certificate, code):
    response = page(client, code)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Code inconnu" in body
    assert certificate.number not in body and "Léa" not in body


def test_known_and_unknown_codes_take_the_same_path(client, certificate):
    with CaptureQueriesContext(connection) as known:
        page(client, certificate.verification_code)
    with CaptureQueriesContext(connection) as unknown:
        page(client, codes.new_code())
    with CaptureQueriesContext(connection) as malformed:
        page(client, "pas-un-code")
    assert len(known) == len(unknown) == len(malformed)


def test_form_redirects_to_the_result(client, certificate):
    response = client.get(reverse("verification:form"))
    assert response.status_code == 200
    assert "Code de vérification" in response.content.decode()
    response = client.get(reverse("verification:form"), {"code": codes.display(certificate.verification_code)})
    assert response.status_code == 302
    assert response["Location"] == reverse("verification:result", args=[certificate.verification_code])
    assert client.get(reverse("verification:form"), {"code": " - "}).status_code == 400


def test_rate_limit_per_client_then_429(client, certificate, settings):
    settings.CERTIFICATE_VERIFICATION_LIMIT = 5
    for _ in range(5):
        assert page(client, codes.new_code()).status_code == 200
    response = page(client, certificate.verification_code)
    assert response.status_code == 429
    body = response.content.decode()
    assert "Trop de vérifications" in body
    assert "Certificat valide" not in body
    assert response["Retry-After"] == "600"
    # Another client is not affected.
    other = client.get(reverse("verification:result", args=[certificate.verification_code]), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200


def test_rate_limit_counts_ipv6_clients_per_64(client, settings, db):
    settings.CERTIFICATE_VERIFICATION_LIMIT = 2
    url = reverse("verification:result", args=[codes.new_code()])
    assert client.get(url, REMOTE_ADDR="2001:db8:1:2::1").status_code == 200
    assert client.get(url, REMOTE_ADDR="2001:db8:1:2::ffff").status_code == 200
    assert client.get(url, REMOTE_ADDR="2001:db8:1:2:aaaa::9").status_code == 429
    assert client.get(url, REMOTE_ADDR="2001:db8:1:3::1").status_code == 200


def test_api_valid_revoked_unknown(client, path_setting, certificate):
    response = client.get(api_url(certificate.verification_code))
    assert response.status_code == 200
    assert response.json() == {
        "status": "valid",
        "certification": "Certificat CléA – socle de connaissances et de compétences professionnelles",
        "awarded_on": "2026-11-27",
        "holder": "Léa D.",
        "number": certificate.number,
    }
    services.revoke(certificate, reason="Erreur", by=path_setting["certifier"])
    assert client.get(api_url(certificate.verification_code)).json()["status"] == "revoked"
    assert client.get(api_url(codes.new_code())).json() == {
        "status": "unknown",
        "certification": None,
        "awarded_on": None,
        "holder": None,
        "number": None,
    }


def test_api_shares_the_rate_limit(client, certificate, settings):
    settings.CERTIFICATE_VERIFICATION_LIMIT = 3
    for _ in range(2):
        assert page(client, codes.new_code()).status_code == 200
    assert client.get(api_url(certificate.verification_code)).status_code == 200
    response = client.get(api_url(certificate.verification_code))
    assert response.status_code == 429
    assert "Trop de vérifications" in response.json()["detail"]


def test_api_needs_no_login_and_refuses_writes(client, certificate):
    assert client.post(api_url(certificate.verification_code)).status_code == 405
