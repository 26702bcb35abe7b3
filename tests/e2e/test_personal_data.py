"""Rule 23 in Chromium: the candidate withdraws consent from their space; an administrator of the evaluator
organisation finds the request on the home page and erases the data; the certificate-free dossier keeps
nothing that identifies the person. axe checks each screen."""

import re

import pytest
from playwright.sync_api import expect

from clea.dossiers.models import Candidate
from clea.dossiers.workflow import State
from clea.privacy.erasure import ANONYMOUS
from clea.privacy.models import PrivacyRequest, RequestStatus
from tests.cast import CANDIDATE_PASSWORD
from tests.e2e.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_candidate_withdraws_consent_and_the_organisation_erases(page, browser, live_server, cast, path_setting):
    dossier = cast.dossier
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(cast.candidate.email)
    page.get_by_label("Mot de passe").fill(CANDIDATE_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/espace/")
    page.get_by_role("link", name="Mes données", exact=True).first.click()
    page.wait_for_url("**/espace/mes-donnees/")
    assert_accessible(page)
    page.get_by_role("link", name="Retirer mon accord").click()
    expect(page.get_by_text("Votre parcours s'arrête tout de suite.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Un mot pour l'organisme (facultatif)").fill("Je pars à l'étranger.")
    page.get_by_role("button", name="Je retire mon accord").click()
    page.wait_for_url("**/espace/mes-donnees/")
    expect(page.get_by_text("Votre demande est envoyée")).to_be_visible()
    expect(page.get_by_text(re.compile("l'organisme vous répond au plus tard le"))).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.state == State.WITHDRAWN

    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    desk = context.new_page()
    desk.set_default_timeout(30_000)
    login(desk, cast.org_admin.email)
    queue = desk.get_by_role("link", name=re.compile("Demandes d'effacement ou de retrait du consentement"))
    expect(queue).to_be_visible()
    queue.click()
    desk.wait_for_url("**/donnees-personnelles/")
    assert_accessible(desk)
    desk.get_by_role("link", name=re.compile("Léa DURAND")).click()
    expect(desk.get_by_text("« Je pars à l'étranger. »")).to_be_visible()
    assert_accessible(desk)
    desk.get_by_role("button", name="Effacer les données maintenant (irréversible)").click()
    desk.wait_for_url("**/donnees-personnelles/")
    expect(desk.get_by_text("Données anonymisées ; la personne en est informée.")).to_be_visible()
    context.close()

    assert PrivacyRequest.objects.get().status == RequestStatus.ERASED
    candidate = Candidate.objects.get(pk=dossier.candidate_id)
    assert (candidate.birth_name, candidate.email, candidate.address_line1) == (ANONYMOUS, "", "")
