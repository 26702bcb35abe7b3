"""Issue 17 in Chromium: a certifier officer's first login enrols their authenticator application (the
key read off the page, as a person types it in), shows the recovery codes once, then lets them work; the
next login asks for a code. axe checks each screen."""

import base64

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from clea.lib.roles import OrganisationKind, Role
from tests.e2e.conftest import assert_accessible
from tests.factories import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_from(secret: str, step: int = 0) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key, drift=step)
    return str(totp.token()).zfill(6)


def password_step(page, email):
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test")
    page.get_by_role("button", name="Se connecter").click()


def test_enrolment_at_first_login_then_a_code_each_time(page, referentiels):
    certifier = member(OrganisationKind.CERTIFIER, Role.CERTIFIER_OFFICER)
    password_step(page, certifier.email)
    page.wait_for_url("**/compte/double-authentification/activation/**")
    expect(page.get_by_role("heading", level=1)).to_have_text("Activer la double authentification")
    expect(page.get_by_role("img", name="Code QR à scanner avec l'application d'authentification")).to_be_visible()
    assert_accessible(page)
    secret = page.locator("main code").first.inner_text()
    page.get_by_label("Code à 6 chiffres (ou un code de secours)").fill(code_from(secret))
    page.get_by_role("button", name="Activer").click()
    page.wait_for_url("**/codes-de-secours/**")
    expect(page.get_by_text("Notez ces codes maintenant")).to_be_visible()
    expect(page.locator("main li code")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="J'ai noté mes codes : continuer").click()
    page.wait_for_url("**/tableau-de-bord/")

    page.get_by_role("button", name="Se déconnecter").first.click()
    password_step(page, certifier.email)
    page.wait_for_url("**/compte/double-authentification/code/**")
    assert_accessible(page)
    page.get_by_label("Code à 6 chiffres (ou un code de secours)").fill(code_from(secret, step=1))
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url("**/tableau-de-bord/")
    page.goto("/certificats/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/double-authentification/" not in page.url
