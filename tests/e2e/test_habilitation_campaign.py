"""From campaign to habilitation, in Chromium: the certifier opens a CléA numérique campaign; the
administrator of an evaluator organisation applies (region, establishment, two PDF pieces, a wrong file
refused); the certifier asks for more, the organisation answers; the certifier checks the pieces and
accepts; the organisation's page shows the new habilitation. axe checks each screen."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clea.campaigns.models import Application
from clea.funding.models import FeeEntry
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.test_people_around import another_person, check_label

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n% piece\n%%EOF\n"


def _pdf(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def test_from_campaign_to_habilitation(page, browser, live_server, path_setting, cast):
    today = timezone.localdate()
    organisation = cast.organisation

    # --- The certifier opens the campaign. --------------------------------------------------------
    login(page, cast.certifier.email)
    page.get_by_role("link", name="Habilitation").first.click()
    page.get_by_role("link", name="Ouvrir une campagne").click()
    page.locator("#id_certification").select_option(label="CléA numérique")
    page.get_by_label("Intitulé").fill("CléA numérique 2027")
    page.get_by_label("Candidatures à partir du").fill((today - datetime.timedelta(days=1)).isoformat())
    page.get_by_label("Candidatures jusqu'au").fill((today + datetime.timedelta(days=30)).isoformat())
    page.get_by_label("Habilitations valables du").fill(datetime.date(today.year + 1, 1, 1).isoformat())
    page.get_by_label("Habilitations valables jusqu'au").fill(datetime.date(today.year + 5, 12, 31).isoformat())
    page.get_by_label("Pièces demandées").fill("Extrait Kbis\nAttestation Qualiopi")
    assert_accessible(page)
    page.get_by_role("button", name="Ouvrir la campagne").click()
    expect(page.get_by_text("Campagne ouverte.")).to_be_visible()
    expect(page.get_by_text("300,00 € HT par candidature")).to_be_visible()

    # --- The evaluator organisation applies. ------------------------------------------------------
    with another_person(browser, live_server) as applicant:
        login(applicant, cast.org_admin.email)
        applicant.get_by_role("link", name="Habilitation").first.click()
        applicant.get_by_role("link", name="CléA numérique 2027").click()
        applicant.get_by_role("button", name=f"Candidater pour {organisation.name}").click()
        expect(applicant.get_by_text("Candidature commencée")).to_be_visible()
        assert_accessible(applicant)
        bretagne = applicant.locator("label", has_text="Bretagne").get_attribute("for")
        check_label(applicant, bretagne)
        applicant.get_by_role("button", name="Enregistrer les régions").click()
        expect(applicant.get_by_text("Régions enregistrées.")).to_be_visible()
        applicant.get_by_label("SIRET").fill(organisation.siret)
        applicant.get_by_label("Nom de l'établissement").fill("Siège de Rennes")
        applicant.get_by_role("button", name="Ajouter").click()
        expect(applicant.get_by_text("Établissement ajouté.")).to_be_visible()
        # A wrong file is refused in French and nothing is stored.
        applicant.locator("#id_required").select_option(label="Extrait Kbis")
        applicant.locator("#id_file").set_input_files(
            {"name": "kbis.png", "mimeType": "image/png", "buffer": b"\x89PNG"}
        )
        applicant.get_by_role("button", name="Déposer", exact=True).click()
        expect(applicant.get_by_text("Le document doit être un fichier PDF.").first).to_be_visible()
        for label, name in (("Extrait Kbis", "kbis.pdf"), ("Attestation Qualiopi", "qualiopi.pdf")):
            applicant.locator("#id_required").select_option(label=label)
            applicant.locator("#id_file").set_input_files(_pdf(name))
            applicant.get_by_role("button", name="Déposer", exact=True).click()
            expect(applicant.get_by_text(f"Pièce « {label} » déposée.")).to_be_visible()
        applicant.get_by_role("button", name="Déposer la candidature").click()
        expect(applicant.get_by_text("Candidature déposée : le certificateur l'instruit.")).to_be_visible()
        application = Application.objects.get(organisation=organisation)
        assert application.documents.count() == 2

        # --- The certifier asks for more; the organisation answers. -------------------------------
        page.reload()  # the campaign's page, where the certifier was left: the application is listed
        page.get_by_role("link", name=organisation.name).click()
        page.get_by_label("Compléments demandés").fill("Précisez la date de votre attestation Qualiopi.")
        page.get_by_role("button", name="Demander").click()
        expect(page.get_by_text("Compléments demandés à l'organisme.")).to_be_visible()

        applicant.reload()
        expect(applicant.get_by_text("Précisez la date de votre attestation Qualiopi.")).to_be_visible()
        applicant.get_by_label("Votre réponse au certificateur").fill("Attestation du 3 mars, valable trois ans.")
        applicant.get_by_role("button", name="Répondre et renvoyer la candidature").click()
        expect(applicant.get_by_text("Réponse envoyée : la candidature repart en instruction.")).to_be_visible()

    # --- The certifier checks each piece and accepts. ---------------------------------------------
    page.reload()
    for label in ("Extrait Kbis", "Attestation Qualiopi"):
        page.get_by_label(f"Vérification de « {label} »").select_option("accepted")
        page.locator("form", has=page.get_by_label(f"Vérification de « {label} »")).get_by_role(
            "button", name="Enregistrer"
        ).click()
        expect(page.get_by_text(f"Pièce « {label} » vérifiée.")).to_be_visible()
    assert_accessible(page)
    page.locator("label", has_text="Accepter : habiliter l'organisme").click()
    page.get_by_label("Motif").fill("Dossier complet, pièces conformes.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("Candidature acceptée : l'habilitation est créée.")).to_be_visible()

    # --- The organisation's page shows the habilitation and its establishment. ----------------------
    page.goto(f"/organisations/{organisation.public_id}/")
    expect(page.get_by_text("Siège de Rennes")).to_be_visible()
    habilitation = Application.objects.get(organisation=organisation).habilitation
    assert habilitation is not None and habilitation.certification.code == "CLEA_NUMERIQUE"
    assert sorted(FeeEntry.objects.filter(organisation=organisation).values_list("amount_cents", flat=True)) == [
        15_000,
        30_000,
    ]
