"""Browser journeys in Debian's Chromium, driven by Playwright (no browser download)."""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from playwright.sync_api import sync_playwright

from clea.geography.loading import load_geography

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# Playwright's sync API runs an event loop in this thread; the live server's ORM calls are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium introuvable ({CHROMIUM}) : .ci/run l'installe (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    # Generous: CI runs two workers side by side, browser journeys share the machine with the rest.
    page.set_default_timeout(30_000)
    yield page
    context.close()


def assert_accessible(page):
    """axe-core with the WCAG 2.1 A/AA rules: no serious or critical violation on the page."""
    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    )
    serious = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    assert not serious, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in serious
    )


def login(page, email, password="mot-de-passe-de-test"):  # noqa: S107 (test fixture password)
    """The login form; a sensitive role then types the code its authenticator application shows."""
    from clea.accounts import second_factor
    from clea.accounts.models import User
    from tests.second_factor import current_code, device_of

    user = User.objects.get(email=email)
    device = device_of(user) if second_factor.required_for(user) else None
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    if device is not None:
        page.wait_for_url("**/compte/double-authentification/code/**")
        device.refresh_from_db()
        page.get_by_label("Code à 6 chiffres (ou un code de secours)").fill(current_code(device))
        page.get_by_role("button", name="Valider").click()
    page.wait_for_url("**/tableau-de-bord/")


# Every journey here is a transactional test: it flushes every table when it ends, the session-wide
# geography included. Loaded again (idempotent) for each journey, and put back after each module.


@pytest.fixture
def geography(transactional_db):
    load_geography()


@pytest.fixture(scope="module", autouse=True)
def _geography_back_for_later_tests(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        load_geography()
        connections.close_all()  # else PostgreSQL cannot drop the test database at the end of the session


@pytest.fixture
def prealable_grid(page, path_setting):
    """A préalable opened with one sitting, its grid shown to the evaluator; gives the evaluation."""
    import datetime

    from clea.evaluations import services as evaluations
    from tests.dossiers.builders import TODAY, open_dossier

    s = path_setting
    dossier = open_dossier(s)
    evaluation = evaluations.start_evaluation(
        dossier, kind="initial", evaluator=s["evaluator"], by=s["evaluator"], today=TODAY
    )
    evaluations.add_sitting(
        evaluation, date=TODAY, start=datetime.time(9), end=datetime.time(11), place="Rennes", by=s["evaluator"]
    )
    login(page, s["evaluator"].email)
    page.goto(f"/dossiers/{dossier.public_id}/evaluations/{evaluation.public_id}/grille/")
    return evaluation
