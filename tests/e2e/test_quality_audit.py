"""From risk signals to an audit's conclusion, in Chromium: the certifier reads the signals, audits the
evaluator organisation from its row, the organisation justifies the drawn dossier with a PDF and sends
its answer, the certifier concludes "non conforme" and suspends the habilitation from there. axe checks
each screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from clea.organisations.models import Suspension
from clea.quality.models import AuditedOrganisation
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.test_people_around import another_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_risk_signals_to_an_audit_conclusion(page, browser, live_server, path_setting, cast):
    organisation = cast.organisation
    cast.dossier  # noqa: B018 (its préalable is closed: the organisation is active on the period)

    # --- The certifier reads the signals and audits the organisation. -------------------------------
    login(page, cast.certifier.email)
    page.get_by_role("link", name="Contrôle qualité").first.click()
    expect(page.get_by_role("link", name=organisation.name, exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"Auditer {organisation.name}").click()
    expect(page.get_by_text(f"Organisme choisi : {organisation.name}")).to_be_visible()
    page.get_by_label("Minimum de dossiers par organisme").fill("1")
    assert_accessible(page)
    page.get_by_role("button", name="Tirer l'échantillon et ouvrir l'audit").click()
    expect(page.get_by_text("Audit ouvert : 1 dossier(s) tiré(s).")).to_be_visible()

    # --- The organisation justifies the drawn dossier. ----------------------------------------------
    with another_person(browser, live_server) as organisation_page:
        login(organisation_page, cast.org_admin.email)
        organisation_page.get_by_role("link", name="Audits qualité : dossiers tirés à justifier").click()
        organisation_page.get_by_role("link", name="Audit qualité").first.click()
        organisation_page.get_by_label("Commentaire").fill("Feuille d'émargement signée jointe.")
        organisation_page.get_by_label("Pièce (PDF)").set_input_files(
            {"name": "emargement.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
        )
        organisation_page.get_by_role("button", name="Enregistrer").click()
        expect(organisation_page.get_by_text("Réponse enregistrée pour ce dossier.")).to_be_visible()
        expect(organisation_page.get_by_role("link", name="emargement.pdf")).to_be_visible()
        assert_accessible(organisation_page)
        organisation_page.get_by_role("button", name="Envoyer la réponse au certificateur").click()
        expect(organisation_page.get_by_text("Réponse envoyée au certificateur.")).to_be_visible()

    # --- The certifier concludes and suspends. ------------------------------------------------------
    page.get_by_role("link", name=organisation.name, exact=True).click()
    expect(page.get_by_text("Feuille d'émargement signée jointe.")).to_be_visible()
    page.locator("label", has_text="Non conforme").click()
    page.get_by_label("Motif").fill("Émargement sans signature du candidat.")
    page.get_by_role("button", name="Enregistrer la conclusion").click()
    expect(page.get_by_text("Audit conclu.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Suspendre l'habilitation CléA").click()
    page.get_by_label("Motif").fill("Audit qualité non conforme.")
    page.get_by_role("button", name="Voir l'effet et confirmer").click()
    page.get_by_role("button", name="Confirmer la suspension").click()
    expect(page.get_by_text("Habilitation suspendue à partir du")).to_be_visible()
    audited = AuditedOrganisation.objects.get(organisation=organisation)
    assert (audited.conclusion, audited.concluded_by) == ("non_conform", cast.certifier)
    assert Suspension.objects.filter(habilitation=cast.habilitation, reason="Audit qualité non conforme.").exists()
