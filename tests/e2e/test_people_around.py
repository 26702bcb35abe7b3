"""The people around a candidate, in Chromium: a visitor finds an habilitated evaluator for a
département in the public directory; a prescriber refers a person, the evaluator opens the dossier from
the referral and invites the candidate, who activates their space and sees their step; an employer
answers absence requests. axe checks each screen.
"""

import datetime
import re
from contextlib import contextmanager

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from clea.absences import services as absences
from clea.absences.models import AbsenceRequest
from clea.candidates.models import CandidateAccount
from clea.dossiers.models import Dossier
from clea.geography.models import Commune, Region
from clea.organisations.models import OrganisationKind
from clea.referrals.models import Referral
from tests.dossiers.builders import open_dossier
from tests.e2e.conftest import assert_accessible, login
from tests.factories import HabilitationFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CANDIDATE_EMAIL = "karim.benali@exemple.fr"
CANDIDATE_PASSWORD = "un-mot-de-passe-solide-2026"


@contextmanager
def another_person(browser, live_server):
    """A second browser (own cookies): another person on another computer."""
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        yield page
    finally:
        context.close()


def check_label(page, field_id):
    """DSFR checkboxes are visually hidden: click their label, as a person does."""
    page.locator(f"label[for='{field_id}']").click()


# --- 1. A visitor finds an evaluator in a département -----------------------------------------------


def test_visitor_finds_habilitated_evaluator_in_departement(page, path_setting):
    # Elsewhere: habilitated in Occitanie only, and located there: not offered in Ille-et-Vilaine.
    toulouse = Commune.objects.get(code="31555")
    elsewhere = OrganisationFactory(
        kind=OrganisationKind.EVALUATOR, name="Évaluateur d'Occitanie", commune=toulouse, postcode="31000"
    )
    HabilitationFactory(
        organisation=elsewhere,
        certification=path_setting["clea"],
        valid_from=datetime.date(2024, 1, 1),
        valid_until=datetime.date(2032, 12, 31),
    ).regions.set([Region.objects.get(code="76")])
    # The "outsider" evaluator organisation of the cast has no habilitation: never listed.
    outsider_org = path_setting["outsider"].memberships.get().organisation

    page.goto("/annuaire/")
    assert page.get_by_role("heading", level=1).inner_text() == "Trouver un organisme évaluateur"
    assert_accessible(page)
    page.get_by_label("Département").select_option(label="Ille-et-Vilaine (35)")
    page.get_by_role("button", name="Rechercher").click()
    results = page.locator("#resultats")
    expect(results).to_have_text("1 organisme pour le département Ille-et-Vilaine (35)")
    found = page.get_by_role("list", name=re.compile("organisme"))
    expect(found.get_by_role("listitem")).to_have_count(1)
    expect(found).to_contain_text("Évaluateur A")
    expect(found).to_contain_text("Rennes (35)")
    expect(found).not_to_contain_text("Occitanie")
    expect(found).not_to_contain_text(outsider_org.name)
    assert_accessible(page)

    page.get_by_role("link", name="Évaluateur A").click()
    page.wait_for_url(f"**/annuaire/{path_setting['organisation'].public_id}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Évaluateur A"
    main = page.locator("main")
    expect(main).to_contain_text("35000 Rennes")
    expect(main).to_contain_text("CléA — habilité en Bretagne, jusqu'au 31 décembre 2032")
    assert_accessible(page)


# --- 2. Prescriber refers → evaluator accepts → candidate activates their space -------------------


def test_referral_accepted_then_candidate_activates_and_sees_step(page, browser, live_server, path_setting):
    prescriber, evaluator = path_setting["prescriber"], path_setting["evaluator"]
    prescriber_org = prescriber.memberships.get().organisation

    # The prescriber refers the person to the habilitated evaluator organisation, with consent.
    login(page, prescriber.email)
    page.get_by_role("link", name="Orientations", exact=True).first.click()
    page.wait_for_url("**/orientations/")
    page.get_by_role("link", name="Orienter une personne").click()
    page.wait_for_url("**/orientations/nouvelle/")
    page.get_by_label("Certification").select_option(label="CléA")
    page.get_by_label("Organisme évaluateur").select_option(label="Évaluateur A")
    page.get_by_label("Nom de naissance").fill("Benali")
    page.get_by_label("Prénoms").fill("Karim Youssef")
    page.get_by_label("Date de naissance").fill("1988-02-14")
    page.get_by_role("textbox", name="E-mail", exact=True).fill(CANDIDATE_EMAIL)
    page.get_by_role("textbox", name="Téléphone", exact=True).fill("0611223344")
    page.get_by_label("Situation").select_option(label="Demandeur d'emploi")
    page.get_by_label("Message à l'organisme").fill("Disponible le matin.")
    check_label(page, "id_consent")
    assert_accessible(page)
    page.get_by_role("button", name="Envoyer l'orientation").click()
    page.get_by_text("Orientation envoyée à l'organisme évaluateur.").wait_for()
    page.wait_for_url("**/orientations/")
    expect(page.locator("table")).to_contain_text("Orientation de Karim BENALI")
    assert_accessible(page)
    referral = Referral.objects.get()
    assert (referral.prescriber, referral.adviser, referral.evaluator_organisation) == (
        prescriber_org,
        prescriber,
        path_setting["organisation"],
    )
    assert referral.status == "sent" and referral.consent_at is not None and referral.email == CANDIDATE_EMAIL

    with another_person(browser, live_server) as desk:
        # The evaluator sees the referral received and opens the dossier from it.
        login(desk, evaluator.email)
        desk.get_by_role("link", name="Orientations", exact=True).first.click()
        desk.wait_for_url("**/orientations/")
        row = desk.get_by_role("row", name=re.compile("Orientation de Karim BENALI"))
        expect(row).to_contain_text(prescriber_org.name)
        assert_accessible(desk)
        row.get_by_role("link", name="Ouvrir le dossier").click()
        desk.wait_for_url(f"**/dossiers/nouveau/?orientation={referral.public_id}")
        expect(desk.locator(".fr-callout")).to_contain_text(f"Orientation de {prescriber_org.name}")
        expect(desk.locator(".fr-callout")).to_contain_text("Disponible le matin.")
        # Prefilled from the referral, the e-mail included (it is what the invitation is sent to).
        expect(desk.get_by_label("Nom de naissance")).to_have_value("Benali")
        expect(desk.get_by_label("Prénoms")).to_have_value("Karim Youssef")
        expect(desk.get_by_label("Date de naissance")).to_have_value("1988-02-14")
        expect(desk.get_by_role("textbox", name="E-mail", exact=True)).to_have_value(CANDIDATE_EMAIL)
        expect(desk.get_by_role("textbox", name="Téléphone", exact=True)).to_have_value("0611223344")
        expect(desk.get_by_label("Situation")).to_have_value("job_seeker")
        expect(desk.get_by_label("À l'initiative de")).to_have_value("prescriber")
        expect(desk.get_by_label("Organisation prescriptrice")).to_have_value(str(prescriber_org.public_id))
        # Completed by the evaluator: born abroad, lives in Rennes (commune offered by htmx).
        desk.get_by_label("Sexe (état civil)").select_option("M")
        desk.get_by_label("Pays de naissance").select_option(label="Maroc")
        desk.get_by_role("textbox", name="Adresse", exact=True).fill("8 boulevard de la Liberté")
        desk.get_by_role("textbox", name="Code postal", exact=True).fill("35000")
        commune = desk.get_by_role("combobox", name="Commune", exact=True)
        expect(commune.locator("option", has_text="Rennes (35)")).to_have_count(1)
        commune.select_option(label="Rennes (35)")
        check_label(desk, "id_consent")
        assert_accessible(desk)
        desk.get_by_role("button", name="Ouvrir le dossier").click()
        desk.get_by_text("Dossier ouvert.").wait_for()
        assert desk.get_by_role("heading", level=1).inner_text() == "Karim BENALI"

        dossier = Dossier.objects.select_related("candidate").get()
        referral.refresh_from_db()
        assert referral.status == "accepted" and referral.dossier == dossier and referral.answered_by == evaluator
        assert (dossier.initiator, dossier.prescriber, dossier.evaluator_organisation) == (
            "prescriber",
            prescriber_org,
            path_setting["organisation"],
        )
        assert dossier.candidate.email == CANDIDATE_EMAIL
        assert (dossier.candidate.birth_country.name, dossier.candidate.commune.code) == ("Maroc", "35238")

        # The evaluator invites the candidate: the e-mail leaves when the live server's transaction commits.
        mail.outbox.clear()
        desk.get_by_role("button", name="Inviter le candidat à son espace").click()
        desk.get_by_text(f"Invitation envoyée à {CANDIDATE_EMAIL}.").wait_for()
    [message] = mail.outbox
    assert message.to == [CANDIDATE_EMAIL]
    link = re.search(r"https?://\S+?(/espace/activation/\S+/)", message.body).group(1)

    with another_person(browser, live_server) as candidate:
        candidate.goto(link)
        assert candidate.get_by_role("heading", level=1).inner_text() == "Activer mon espace CléA"
        expect(candidate.locator("main")).to_contain_text(CANDIDATE_EMAIL)
        assert_accessible(candidate)
        candidate.get_by_label("Choisissez un mot de passe").fill(CANDIDATE_PASSWORD)
        candidate.get_by_label("Écrivez-le une deuxième fois").fill(CANDIDATE_PASSWORD)
        candidate.get_by_role("button", name="Activer mon espace").click()
        candidate.wait_for_url("**/espace/")
        candidate.get_by_text("Votre espace est prêt.").wait_for()
        assert candidate.get_by_role("heading", level=1).inner_text() == "Mon parcours CléA"
        stepper = candidate.locator(".fr-stepper")
        expect(stepper).to_contain_text("Réunion d'information")
        expect(stepper).to_contain_text("Étape 1 sur 5")
        expect(candidate.locator("main")).to_contain_text("CléA avec Évaluateur A")
        # The prescriber who oriented them is named; results are not shared unless the person says so.
        expect(candidate.locator("main")).to_contain_text(f"{prescriber_org.name} peut-il voir mes résultats ?")
        expect(candidate.get_by_role("radio", name="Non")).to_be_checked()
        assert_accessible(candidate)
    account = CandidateAccount.objects.select_related("user").get()
    assert account.candidate == dossier.candidate and account.user.email == CANDIDATE_EMAIL


# --- 3. An employer answers absence requests ------------------------------------------------------


@pytest.fixture
def employer_world(cast, path_setting):
    """Two employees of the bakery with a pending absence request each, and the bakery's HR contact."""
    s, today = path_setting, timezone.localdate()
    requests = {}
    for birth_name in ("Durand", "Martin"):
        dossier = open_dossier(
            s, birth_name=birth_name, today=today, candidate_status="employee", employer=s["employer"]
        )
        start = today + datetime.timedelta(days=70)
        requests[birth_name] = absences.request_absence(
            dossier,
            requested_on=today,
            start_date=start,
            end_date=start + datetime.timedelta(days=20),
            hours=35,
            by=s["evaluator"],
            today=today,
        )
    hr = cast.employer  # the bakery's contact
    return {**s, "requests": requests, "hr": hr, "today": today}


def open_absences(page, hr):
    login(page, hr.email)
    page.get_by_role("link", name="Demandes d'absence", exact=True).first.click()
    page.wait_for_url("**/absences/")


def test_employer_answers_absence_requests(page, employer_world):
    w = employer_world
    today = w["today"]
    other_start, other_end = today + datetime.timedelta(days=100), today + datetime.timedelta(days=120)
    open_absences(page, w["hr"])
    table = page.locator("table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("En attente de réponse")
    assert_accessible(page)

    # Léa Durand: other dates proposed.
    page.get_by_role("link", name="Léa DURAND").click()
    page.wait_for_url(f"**/absences/{w['requests']['Durand'].public_id}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Répondre à une demande d'absence"
    expect(page.locator("main")).to_contain_text("(35 heures)")
    assert_accessible(page)
    page.get_by_label("Réponse").select_option(label="Acceptée à d'autres dates")
    page.locator("#id_other_start").fill(other_start.isoformat())
    page.locator("#id_other_end").fill(other_end.isoformat())
    page.get_by_role("button", name="Envoyer la réponse").click()
    page.get_by_text("Réponse enregistrée.").wait_for()
    page.wait_for_url("**/absences/")
    expect(page.get_by_role("row", name=re.compile("Léa DURAND"))).to_contain_text("Acceptée à d'autres dates")

    # Léa Martin: the employer must deliver it; accepted, with a word for her.
    page.get_by_role("link", name="Léa MARTIN").click()
    expect(page.locator("main")).to_contain_text("vous devez délivrer cette autorisation")
    expect(page.get_by_label("Réponse").locator("option")).to_have_text(["Acceptée", "Acceptée à d'autres dates"])
    page.get_by_label("Réponse").select_option(label="Acceptée")
    page.get_by_label("Message au salarié (facultatif)").fill("Bonne formation.")
    page.get_by_role("button", name="Envoyer la réponse").click()
    page.get_by_text("Réponse enregistrée.").wait_for()
    expect(page.get_by_role("row", name=re.compile("Léa MARTIN"))).to_contain_text("Acceptée")
    # Answered requests are no longer links to answer.
    expect(page.get_by_role("link", name=re.compile("Léa (DURAND|MARTIN)"))).to_have_count(0)
    assert_accessible(page)

    durand = AbsenceRequest.objects.get(pk=w["requests"]["Durand"].pk)
    assert (durand.status, durand.other_start_date, durand.other_end_date, durand.answered_by) == (
        "other_dates",
        other_start,
        other_end,
        w["hr"],
    )
    martin = AbsenceRequest.objects.get(pk=w["requests"]["Martin"].pk)
    assert (martin.status, martin.answered_by) == ("accepted", w["hr"])
    assert martin.dossier.events.filter(summary="Autorisation d'absence : acceptée", reason="Bonne formation.").exists()


def test_missing_other_dates_are_flagged_on_the_date_field(page, employer_world):
    w = employer_world
    open_absences(page, w["hr"])
    page.get_by_role("link", name="Léa DURAND").click()
    page.get_by_label("Réponse").select_option(label="Acceptée à d'autres dates")
    page.get_by_role("button", name="Envoyer la réponse").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Le formulaire contient une erreur")
    alert.get_by_role("link", name="Autres dates : début").click()  # the summary names and reaches the field
    expect(page.locator("#id_other_start")).to_be_focused()
    expect(page.locator("#id_other_start")).to_have_attribute("aria-invalid", "true", timeout=2_000)
    expect(page.locator("#id_other_start-erreur")).to_have_text("Indiquez les autres dates (début puis fin).")
