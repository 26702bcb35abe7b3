"""Login by e-mail, brute-force lockout, API token page."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "mot-de-passe-de-test"


def test_login_with_email_case_insensitive(client):
    UserFactory(email="lea.roux@exemple.fr")
    response = client.post(reverse("accounts:login"), {"username": "Lea.Roux@Exemple.fr", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("pages:dashboard")


def test_wrong_password_message_in_french(client):
    UserFactory(email="lea.roux@exemple.fr")
    response = client.post(reverse("accounts:login"), {"username": "lea.roux@exemple.fr", "password": "faux"})
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_after_repeated_failures(client):
    UserFactory(email="lea.roux@exemple.fr")
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "lea.roux@exemple.fr", "password": "x"})
    # Even the right password is refused while locked.
    response = client.post(reverse("accounts:login"), {"username": "lea.roux@exemple.fr", "password": PASSWORD})
    assert response.status_code == 429
    assert "bloquée" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_profile_requires_login(client):
    assert client.get(reverse("accounts:profile")).status_code == 302
