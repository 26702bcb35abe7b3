"""Issue 17 in Chromium: ProConnect for a professional and FranceConnect for an invited candidate, against
the suite's own OpenID Connect provider (tests/oidc_idp): the State's buttons, the provider's login page,
the way back, and a logout that ends the provider's session too (the next sign-in asks again)."""

import pytest
from playwright.sync_api import expect

from clea.lib.roles import OrganisationKind, Role
from tests.e2e.conftest import assert_accessible
from tests.factories import member
from tests.oidc import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.real_clock]


def _seed(idp, live_server, person):
    idp.seed(
        [person],
        redirect_uris=[
            f"{live_server.url}/compte/connexion/proconnect/retour/",
            f"{live_server.url}/espace/franceconnect/retour/",
        ],
        post_logout_redirect_uris=[f"{live_server.url}/compte/connexion/"],
    )


def _at_the_provider(page, person):
    expect(page.get_by_role("heading", name="Fournisseur d'identité de test")).to_be_visible()
    page.get_by_label("Identifiant").fill(person.username)
    page.get_by_label("Mot de passe").fill(person.password)
    page.get_by_role("button", name="Se connecter").click()


def test_a_professional_signs_in_with_proconnect_and_out_of_it(page, live_server, oidc_settings, referentiels):
    evaluator = member(OrganisationKind.EVALUATOR, Role.EVALUATOR)
    person = Person("nadia", claims={"email": evaluator.email, "given_name": "Nadia", "usual_name": "Benali"})
    _seed(oidc_settings, live_server, person)

    page.goto("/compte/connexion/")
    assert_accessible(page)
    page.get_by_role("link", name="S’identifier avec ProConnect").click()
    _at_the_provider(page, person)
    page.wait_for_url("**/tableau-de-bord/")

    page.get_by_role("button", name="Se déconnecter").first.click()
    page.wait_for_url(f"{live_server.url}/compte/connexion/?state=*")
    # The provider's session ended too: ProConnect asks who is there again.
    page.get_by_role("link", name="S’identifier avec ProConnect").click()
    expect(page.get_by_label("Identifiant")).to_be_visible()


@pytest.mark.usefixtures("path_setting")
def test_an_invited_candidate_opens_their_space_with_franceconnect(page, live_server, oidc_settings, cast):
    token = cast._invite(cast.dossier)
    person = Person(
        "lea",
        claims={
            "given_name": "Léa Marie",
            "family_name": "DURAND",
            "birthdate": "1990-05-17",
            "gender": "female",
            "birthplace": "35238",
            "birthcountry": "99100",
        },
    )
    _seed(oidc_settings, live_server, person)

    page.goto(f"/espace/activation/{token}/")
    assert_accessible(page)
    page.get_by_role("link", name="S’identifier avec FranceConnect").click()
    _at_the_provider(page, person)
    page.wait_for_url("**/espace/")
    expect(page.get_by_text("Vous êtes connecté avec FranceConnect.")).to_be_visible()
    assert_accessible(page)
