"""Rule 10 in Chromium: a person finds an organisation in the directory and asks for an information
meeting without an account; the e-mail's personal link lets her book a published slot; after the meeting
the evaluator opens her dossier from the request, prefilled, only because she agreed. axe checks each
screen."""

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from clea.dossiers.models import Dossier
from clea.meetings import slots
from clea.meetings.models import MeetingRequest, RequestStatus
from tests.clock import NOW
from tests.e2e.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_the_directory_to_the_opened_dossier(page, browser, live_server, cast, path_setting):
    organisation = path_setting["organisation"]
    slot = slots.publish_slot(
        organisation=organisation,
        starts_at=NOW + datetime.timedelta(days=5),
        duration_minutes=60,
        kind="collective",
        capacity=8,
        remote=False,
        place="2 rue de Paris, 35000 Rennes",
        link="",
        certification=None,
        by=cast.evaluator,
    )

    # The person, without an account, from the organisation's directory page.
    page.goto(f"/annuaire/{organisation.public_id}/")
    page.get_by_role("link", name="Demander une réunion d'information").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demander une réunion d'information")
    assert_accessible(page)
    page.get_by_role("textbox", name="Prénom", exact=True).fill("Samia")
    page.get_by_role("textbox", name="Nom", exact=True).fill("Haddad")
    page.get_by_role("textbox", name=re.compile("^E-mail")).fill("samia.haddad@exemple.fr")
    page.get_by_label("Quand êtes-vous disponible ? (facultatif)").fill("Le lundi après-midi")
    page.locator("label[for='id_consent']").click()
    page.wait_for_timeout(3_200)  # the form refuses what is posted faster than a person types
    mail.outbox.clear()
    page.get_by_role("button", name="Envoyer ma demande").click()
    if page.locator(".fr-alert--error").count():
        raise AssertionError(page.locator(".fr-alert--error").inner_text())
    expect(page.get_by_role("heading", level=1)).to_have_text("Demande envoyée")
    request = MeetingRequest.objects.get()
    assert (request.first_name, request.status) == ("Samia", RequestStatus.NEW)

    # Her e-mail holds a personal link (no identity in it): she books the slot herself.
    [received] = [m for m in mail.outbox if m.to == ["samia.haddad@exemple.fr"]]
    link = re.search(r"https?://\S+?(/reunions/ma-reunion/\S+/)", received.body).group(1)
    assert "samia" not in link.lower() and "haddad" not in link.lower()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ma réunion d'information")
    assert_accessible(page)
    page.locator(f"label[for='creneau-{slot.public_id}']").click()
    page.get_by_role("button", name="Réserver ce créneau").click()
    expect(page.locator(".fr-callout")).to_contain_text("Votre réunion :")
    request.refresh_from_db()
    assert request.status == RequestStatus.PROPOSED and request.proposed_for == slot.starts_at

    # After the meeting, she agreed: the evaluator opens the dossier from the request, prefilled.
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    desk = context.new_page()
    desk.set_default_timeout(30_000)
    login(desk, cast.evaluator.email)
    desk.get_by_role("link", name="Demandes de réunion", exact=True).first.click()
    expect(desk.locator("main")).to_contain_text("Samia Haddad")
    assert_accessible(desk)
    desk.get_by_role("link", name="Réunion tenue : ouvrir le dossier").click()
    expect(desk.get_by_label("Nom de naissance")).to_have_value("Haddad")
    expect(desk.get_by_label("Prénoms")).to_have_value("Samia")
    expect(desk.get_by_role("textbox", name="E-mail", exact=True)).to_have_value("samia.haddad@exemple.fr")
    desk.get_by_label("Certification").select_option(label="CléA")
    desk.get_by_label("Sexe (état civil)").select_option("F")
    desk.get_by_label("Date de naissance").fill("1992-03-08")
    desk.get_by_label("Pays de naissance").select_option(label="Algerie")
    desk.get_by_label("Situation").select_option(label="Demandeur d'emploi")
    desk.get_by_role("textbox", name="Adresse", exact=True).fill("4 rue Saint-Hélier")
    desk.get_by_role("textbox", name="Code postal", exact=True).fill("35000")
    commune = desk.get_by_role("combobox", name="Commune", exact=True)
    expect(commune.locator("option", has_text="Rennes (35)")).to_have_count(1)
    commune.select_option(label="Rennes (35)")
    desk.locator("label[for='id_consent']").click()
    assert_accessible(desk)
    desk.get_by_role("button", name="Ouvrir le dossier").click()
    desk.get_by_text("Dossier ouvert.").wait_for()
    context.close()

    dossier = Dossier.objects.select_related("candidate").get()
    request.refresh_from_db()
    assert request.status == RequestStatus.OPENED and request.dossier == dossier
    assert (dossier.initiator, dossier.candidate.email) == ("self", "samia.haddad@exemple.fr")
