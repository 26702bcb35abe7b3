"""From the jury to the public verification, in Chromium: the organiser plans a session with members,
the quorum is checked, clean dossiers are awarded together (the one with an anomaly is decided on its
own), the session is closed and its minutes signed; the certifier issues the certificates, prepares the
mailing batch and downloads its PDF; anyone then checks a certificate's code and reads « valide »
with the holder's name masked. axe checks each screen.
"""

import datetime
import hashlib
import re

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from playwright.sync_api import expect

from clea.certificates.models import Certificate, MailingBatch
from clea.geography.models import Region
from clea.jury import services as jury_services
from clea.jury.models import Decision, JurySession, SessionStatus
from clea.organisations.models import OrganisationKind, Role
from clea.organisations.services import withdraw_habilitation
from tests.certificates.builders import dossier_awaiting_jury
from tests.e2e.conftest import assert_accessible, login
from tests.factories import HabilitationFactory, MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def click_box(page, checkbox):
    """A presence checkbox's label holds only screen-reader text (zero height): what a person sees and
    clicks is the DSFR box drawn by the label over the hidden input. Click that spot."""
    checkbox.scroll_into_view_if_needed()
    box = checkbox.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def download(page, link_name, tmp_path, filename) -> bytes:
    with page.expect_download() as event:
        page.get_by_role("link", name=link_name).click()
    target = tmp_path / filename
    event.value.save_as(target)
    return target.read_bytes()


@pytest.fixture
def organiser(cast, path_setting):
    """The cast's jury organiser (role jury_organiser of the jury member's organisation)."""
    return cast.jury_organiser


@pytest.fixture
def jury_world(path_setting, organiser):
    """An organiser of the Bretagne jury; two clean dossiers awaiting the jury and one whose evaluator
    organisation lost its habilitation after the evaluation (the automatic pre-check flags it)."""
    s = path_setting
    clean = [
        dossier_awaiting_jury(s, birth_name="Martin"),
        dossier_awaiting_jury(s, birth_name="Bernard", first_names="Paul André", sex="M"),
    ]
    other_org = OrganisationFactory(
        kind=OrganisationKind.EVALUATOR, name="Évaluateur B", commune=s["rennes"], postcode="35000"
    )
    habilitation = HabilitationFactory(
        organisation=other_org, certification=s["clea"], valid_from=s["habilitation"].valid_from
    )
    habilitation.regions.set(s["habilitation"].regions.all())
    other_evaluator = MembershipFactory(organisation=other_org, role=Role.EVALUATOR).user
    flagged = dossier_awaiting_jury(
        {**s, "organisation": other_org, "evaluator": other_evaluator}, birth_name="Petit", first_names="Inès"
    )
    today = timezone.localdate()
    withdraw_habilitation(
        habilitation, reason="Contrôle qualité défavorable", effective_on=today, by=s["certifier"], today=today
    )
    # A Rennes employer: a jury member may represent it (the select lists the region's organisations).
    s["employer"].commune, s["employer"].postcode = s["rennes"], "35000"
    s["employer"].save()
    return {**s, "organiser": organiser, "clean": clean, "flagged": flagged}


def test_jury_session_to_certificates_and_public_verification(page, browser, live_server, jury_world, tmp_path):
    s = jury_world
    clean, flagged = s["clean"], s["flagged"]
    day = timezone.localdate()  # the jury sits today: it decides, closes, and the certificates follow
    long_day = date_filter(day, "j F Y")  # « 27 novembre 2026 », as the pages write it

    # --- The organiser plans the session. ---------------------------------------------------------
    login(page, s["organiser"].email)
    page.get_by_role("link", name="Jurys", exact=True).first.click()
    page.wait_for_url("**/jurys/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sessions de jury")
    assert_accessible(page)

    page.get_by_role("link", name="Planifier une session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Planifier une session")
    # Labels end with a required mark ("Date *"): the fields are found by their id.
    page.locator("#id_date").fill(day.isoformat())
    page.locator("#id_start").fill("14:00")
    page.locator("#id_place").fill("Rennes, 1 rue Saint-Hélier")
    page.locator("#id_region").select_option(label="Bretagne")
    page.locator("fieldset").get_by_text("CléA", exact=True).click()
    assert_accessible(page)
    page.get_by_role("button", name="Planifier").click()
    page.get_by_text("Session planifiée. Ajoutez les membres du jury.").wait_for()
    session = JurySession.objects.get()
    assert session.region.name == "Bretagne" and session.organiser == s["jury_member"].memberships.get().organisation
    assert list(session.certifications.all()) == [s["clea"]]
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Jury du {long_day}")

    # --- Two members, one per college: the quorum is not reached until they are marked present. ---
    for name, college, organisation in (
        ("Alain Patron", "Collège employeurs", "Boulangerie Dupont"),
        ("Brigitte Salariée", "Collège salariés", None),
    ):
        page.locator("#id_full_name").fill(name)
        page.locator("#id_college").select_option(label=college)
        if organisation:
            page.locator("#id_organisation").select_option(label=organisation)
        page.get_by_role("button", name="Ajouter le membre").click()
        page.get_by_text("Membre ajouté.").wait_for()
        expect(page.get_by_role("cell", name=name, exact=True)).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("Quorum non atteint")
    expect(main).not_to_contain_text("Quorum atteint")
    assert_accessible(page)

    for name in ("Alain Patron", "Brigitte Salariée"):
        present = page.get_by_role("checkbox", name=f"{name} présent")
        click_box(page, present)
        expect(present).to_be_checked()
    page.get_by_role("button", name="Enregistrer les présences").click()
    page.get_by_text("Présences enregistrées.").wait_for()
    expect(main).to_contain_text("Quorum atteint : chaque collège a des membres présents.")
    expect(main).not_to_contain_text("Quorum non atteint")
    assert session.members.filter(present=True).count() == 2

    # --- The three dossiers waiting in Bretagne go on the session (all ticked by default). --------
    expect(page.get_by_role("heading", name="Dossiers en attente de jury dans la région")).to_be_visible()
    for dossier in (*clean, flagged):
        expect(page.locator(f"[id='d-{dossier.public_id}']")).to_be_checked()
    page.get_by_role("button", name="Inscrire à la session").click()
    page.get_by_text("Dossiers inscrits à la session.").wait_for()
    expect(main).to_contain_text("Habilitation de l'organisme non valable à la date d'évaluation")
    expect(page.get_by_text("Contrôle automatique sans anomalie")).to_have_count(2)
    expect(main).to_contain_text("2 dossiers sans anomalie")
    assert_accessible(page)

    # --- Clean dossiers awarded together; the flagged one is decided on its own. -----------------
    page.get_by_role("button", name="Certifier les dossiers sans anomalie").click()
    page.get_by_text("Les dossiers sans anomalie ont reçu leur décision, un par un.").wait_for()
    expect(page.get_by_text("Certification délivrée — 2 pour, 0 contre")).to_have_count(2)
    for dossier in clean:
        dossier.refresh_from_db()
        assert dossier.state == "certified"
    entry = session.entries.get(dossier=flagged)
    page.locator(f"[id='o-{entry.public_id}']").select_option(label="Ajourné")
    page.locator(f"[id='vp-{entry.public_id}']").fill("2")
    page.locator(f"[id='m-{entry.public_id}']").fill("Habilitation de l'organisme retirée : à réexaminer.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("Décision enregistrée.").wait_for()
    flagged.refresh_from_db()
    assert flagged.state == "adjourned"

    # --- Close: the minutes are signed, the page no longer offers any change. --------------------
    page.get_by_role("button", name=re.compile(r"^Clore la session")).click()
    page.get_by_text("Session close : le procès-verbal est signé.").wait_for()
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED and session.closed_by == s["organiser"]
    expect(main).to_contain_text(session.minutes_sha256)
    expect(page.get_by_role("button", name="Enregistrer les présences")).to_have_count(0)
    expect(page.get_by_role("button", name="Ajouter le membre")).to_have_count(0)
    assert page.locator("input[name=present]:not([disabled])").count() == 0
    assert_accessible(page)
    minutes = download(page, "Procès-verbal (PDF)", tmp_path, "pv.pdf")
    assert minutes.startswith(b"%PDF-")
    assert hashlib.sha256(minutes).hexdigest() == session.minutes_sha256

    page.get_by_role("link", name="Jurys", exact=True).first.click()
    expect(page.get_by_role("row", name=re.compile(long_day))).to_contain_text("3 / 3")
    page.context.clear_cookies()

    # --- The certifier issues the certificates of the closed session. ----------------------------
    login(page, s["certifier"].email)
    page.get_by_role("link", name="Certificats", exact=True).first.click()
    page.wait_for_url("**/certificats/")
    expect(main).to_contain_text("0 certificat")
    page.get_by_role("link", name="Sessions à certifier").click()
    row = page.get_by_role("row", name=re.compile(long_day))
    expect(row.get_by_role("cell").nth(2)).to_have_text("2")  # awarded
    expect(row.get_by_role("cell").nth(3)).to_have_text("0")  # issued
    row.get_by_role("button", name=re.compile("^Émettre les certificats")).click()
    page.get_by_text(f"2 certificats émis pour la session du {day:%d/%m/%Y}.").wait_for()
    expect(page.get_by_role("row", name=re.compile(long_day))).to_contain_text("Terminé")
    certificates = list(Certificate.objects.order_by("sequence"))
    assert [c.dossier_id for c in certificates] == [d.pk for d in clean]
    assert [c.number for c in certificates] == [f"CLEA-{day.year}-000001", f"CLEA-{day.year}-000002"]  # no gap
    assert all(c.awarded_on == day for c in certificates)

    page.get_by_role("link", name="Certificats", exact=True).first.click()
    expect(main).to_contain_text("2 certificats")
    for certificate in certificates:
        expect(page.get_by_role("link", name=certificate.number)).to_be_visible()
    expect(page.get_by_role("table").get_by_text("Pas encore envoyé", exact=True)).to_have_count(2)
    assert_accessible(page)

    # --- Mailing batch: the print-ready PDF. ----------------------------------------------------
    page.get_by_role("link", name="Envois postaux").click()
    expect(main).to_contain_text("2 certificats attendent")
    page.get_by_role("link", name="Préparer un lot").click()
    # The batch's PDF is rendered in the request (WeasyPrint): on a loaded CI machine it can take longer
    # than an action's default timeout, so the wait for the answer carries its own.
    page.get_by_role("button", name="Préparer le lot").click(no_wait_after=True)
    page.get_by_text("Lot de 2 courriers prêt à imprimer.").wait_for(timeout=120_000)
    batch = MailingBatch.objects.get()
    assert batch.size == 2 and sorted(batch.mailings.values_list("certificate_id", flat=True)) == sorted(
        c.pk for c in certificates
    )
    expect(page.get_by_role("table")).to_contain_text("À imprimer")
    assert_accessible(page)
    pdf = download(page, "Télécharger le PDF à imprimer", tmp_path, "lot.pdf")
    assert pdf.startswith(b"%PDF-")
    assert hashlib.sha256(pdf).hexdigest() == batch.pdf_sha256

    # --- One certificate's verification code, read from its page. --------------------------------
    first = certificates[0]
    page.get_by_role("link", name=first.number).click()
    shown_code = page.locator("dt:has-text('Code de vérification') + dd code").inner_text()
    assert shown_code.replace("-", "") == first.verification_code

    # --- Anyone (no account) checks it. ------------------------------------------------------------
    public = browser.new_context(base_url=live_server.url, locale="fr-FR")
    try:
        visitor = public.new_page()
        visitor.set_default_timeout(10_000)
        visitor.goto(f"/verifier/{shown_code}/")
        answer = visitor.get_by_role("status")
        expect(answer).to_contain_text("Certificat valide")
        expect(answer).to_contain_text(f"délivré le {long_day} à Léa M. (certificat n° {first.number})")
        text = visitor.locator("main").inner_text()
        assert "Martin" not in text and "MARTIN" not in text and "1990" not in text
        assert_accessible(visitor)
    finally:
        public.close()


def test_a_session_cannot_decide_before_its_date(page, path_setting, organiser):
    s = path_setting
    later = timezone.localdate() + datetime.timedelta(days=14)
    session = jury_services.create_session(
        organiser=organiser.memberships.get().organisation,
        date=later,
        start=None,
        place="Rennes",
        remote=False,
        region=Region.objects.get(code="53"),
        certifications=[s["clea"]],
        by=organiser,
    )
    for name, college in (("Alain Patron", "employers"), ("Brigitte Salariée", "employees")):
        jury_services.add_member(session, full_name=name, college=college)
    jury_services.record_attendance(
        session, present_ids=set(session.members.values_list("pk", flat=True)), by=organiser
    )
    dossier = dossier_awaiting_jury(s, birth_name="Martin")
    jury_services.put_on_session(session, [dossier], by=organiser)

    login(page, organiser.email)
    page.goto(f"/jurys/{session.public_id}/")
    with page.expect_response(lambda response: "/decisions/sans-anomalie/" in response.url):
        page.get_by_role("button", name="Certifier les dossiers sans anomalie").click()
    page.wait_for_load_state()

    # Expected: refused until the day of the session (an error message, nothing decided).
    dossier.refresh_from_db()
    assert not Decision.objects.filter(entry__session=session).exists()
    assert dossier.state == "at_jury"
