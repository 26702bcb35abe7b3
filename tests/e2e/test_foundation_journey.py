"""A certifier manages référentiels; an evaluator finds their organisation. Real Chromium + axe."""

import pytest
from playwright.sync_api import expect

from clea.organisations.models import OrganisationKind, Role
from clea.referentiel.models import ReferentielVersion
from tests.e2e.conftest import assert_accessible, login
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_home_is_accessible(page, referentiels):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text().startswith("CléA")
    assert_accessible(page)
    page.goto("/compte/connexion/")
    assert_accessible(page)


def test_certifier_imports_compares_and_activates(page, referentiels, tmp_path):
    certifier_org = OrganisationFactory(kind=OrganisationKind.CERTIFIER, name="Certif'Pro")
    user = MembershipFactory(organisation=certifier_org, role=Role.CERTIFIER_OFFICER).user
    login(page, user.email)

    page.get_by_role("link", name="Référentiels").first.click()
    page.get_by_role("link", name="Version 1 —").first.click()
    assert "106 critères" in page.content()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter en CSV").click()
    csv_path = tmp_path / "clea.csv"
    download.value.save_as(csv_path)
    csv_path.write_text(
        csv_path.read_text(encoding="utf-8").replace("Porter attention aux propos tenus", "Écouter avec attention"),
        encoding="utf-8",
    )

    page.goto("/referentiels/importer/")
    page.get_by_label("Certification").select_option(label="CléA")
    page.get_by_label("Libellé de la version").fill("Référentiel 2027")
    page.get_by_label("Fichier JSON ou CSV").set_input_files(str(csv_path))
    page.get_by_role("button", name="Importer").click()
    page.get_by_text("importée en brouillon").wait_for()
    assert_accessible(page)

    page.goto("/referentiels/comparer/")
    page.get_by_label("Version de départ").select_option(label="CléA — version 1 (En vigueur)")
    page.get_by_label("Version d'arrivée").select_option(label="CléA — version 2 (Brouillon)")
    page.get_by_role("button", name="Comparer").click()
    # expect() waits for the comparison page; is_visible() looked at once, before it loaded (flaky on CI).
    expect(page.get_by_role("cell", name="Écouter avec attention")).to_be_visible()
    assert_accessible(page)

    draft = ReferentielVersion.objects.get(status="draft")
    page.goto(f"/referentiels/{draft.public_id}/")
    page.get_by_role("button", name="Mettre en vigueur").click()
    page.get_by_text("Version mise en vigueur").wait_for()
    draft.refresh_from_db()
    assert draft.status == "active" and draft.activated_by == user


def test_evaluator_sees_own_organisation(page, referentiels):
    organisation = OrganisationFactory(kind=OrganisationKind.EVALUATOR, name="Évaluateur de Rennes")
    user = MembershipFactory(organisation=organisation, role=Role.EVALUATOR).user
    login(page, user.email)
    assert_accessible(page)
    page.get_by_role("link", name="Mes organisations").click()
    page.get_by_role("link", name="Évaluateur de Rennes").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Évaluateur de Rennes"
    assert_accessible(page)
