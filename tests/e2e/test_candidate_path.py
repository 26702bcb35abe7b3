"""An evaluator takes a candidate through the whole path in Chromium: open the dossier, évaluation
préalable with gaps, training path, évaluation finale on the gaps, jury. axe checks each screen.

A second journey shows two evaluators on the same grid: the later save of a cell is refused and
the row names who saved first.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clea.dossiers import services as dossier_services
from clea.dossiers.models import CandidateStatus, Dossier, Initiator
from clea.evaluations import services as evaluation_services
from clea.evaluations.models import CriterionJudgement, EvaluationKind
from clea.referentiel.models import Criterion
from tests.conftest import candidate_data
from tests.e2e.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


GAPS = ("1.1.1", "2.4.1", "3.1.2")  # not acquired at the préalable
BY_HTMX = {"1.1.1": "not_acquired", "1.1.2": "acquired", "1.2.1": "acquired"}


def row(page, code):
    return page.locator(f"#critere-{code.replace('.', '')}")


def radio(page, code, value):
    return page.locator(f"[id='j-{code}-{value}']")


def choose(page, code, value):
    """DSFR radios are visually hidden: click the label, as a person does (htmx then saves the cell)."""
    page.locator(f"label[for='j-{code}-{value}']").click()


def points_shown(page) -> int:
    text = page.locator("#statut-grille").inner_text()
    return int(re.search(r"(\d+) points? sur", text).group(1))


def set_radios_without_htmx(page, values: dict[str, str]) -> None:
    """The no-JS path: tick radios without firing change events, then post the whole grid form."""
    page.evaluate(
        """values => { for (const [code, value] of Object.entries(values)) {
               document.getElementById(`j-${code}-${value}`).checked = true; } }""",
        values,
    )


def add_sitting(page, day, start, end, place):
    # Labels end with a required mark ("Date *"): the fields are found by their id.
    page.locator("#id_date").fill(day.isoformat())
    page.locator("#id_start").fill(start)
    page.locator("#id_end").fill(end)
    page.locator("#id_place").fill(place)
    page.get_by_role("button", name="Ajouter la séance").click()
    page.get_by_text("Séance enregistrée.").wait_for()


def test_evaluator_takes_candidate_from_prealable_to_jury(page, path_setting):
    evaluator, trainer = path_setting["evaluator"], path_setting["trainer"]
    today = timezone.localdate()
    prealable_day, finale_day = today - datetime.timedelta(days=60), today
    login(page, evaluator.email)

    # Dossiers → open a dossier.
    page.get_by_role("link", name="Dossiers", exact=True).first.click()
    page.wait_for_url("**/dossiers/")
    assert_accessible(page)
    page.get_by_role("link", name="Ouvrir un dossier").click()
    page.get_by_label("Nom de naissance").fill("Durand")
    page.get_by_label("Prénoms").fill("Léa Marie")
    page.get_by_label("Sexe (état civil)").select_option("F")
    page.get_by_label("Date de naissance").fill("1990-05-17")
    page.get_by_label("Code postal de la commune de naissance").fill("35000")
    birth_commune = page.get_by_role("combobox", name="Commune de naissance", exact=True)
    expect(birth_commune.locator("option", has_text="Rennes (35)")).to_have_count(1)
    birth_commune.select_option(label="Rennes (35)")
    page.get_by_role("textbox", name="Adresse", exact=True).fill("3 rue des Lilas")
    page.get_by_role("textbox", name="Code postal", exact=True).fill("35000")
    commune = page.get_by_role("combobox", name="Commune", exact=True)
    expect(commune.locator("option", has_text="Rennes (35)")).to_have_count(1)
    commune.select_option(label="Rennes (35)")
    page.get_by_label("Situation").select_option(label="Demandeur d'emploi")
    page.get_by_label("À l'initiative de").select_option("self")
    page.get_by_text("Le candidat accepte").click()
    assert_accessible(page)
    page.get_by_role("button", name="Ouvrir le dossier").click()
    page.get_by_text("Dossier ouvert.").wait_for()
    dossier = Dossier.objects.get(candidate__birth_name="Durand")
    assert dossier.evaluator_organisation == path_setting["organisation"]
    assert page.get_by_role("heading", level=1).inner_text() == "Léa DURAND"
    assert_accessible(page)

    # Information meeting (optional step).
    page.get_by_role("link", name="Noter la réunion d'information").click()
    page.get_by_label("Suite donnée").select_option("continues")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Réunion d'information enregistrée.").wait_for()

    # Évaluation préalable: one sitting, then the grid.
    page.get_by_role("link", name="Commencer l'évaluation préalable").click()
    page.get_by_role("button", name="Commencer").click()
    page.get_by_text("Ajoutez les séances").wait_for()
    add_sitting(page, prealable_day, "09:00", "12:00", "Rennes, 12 rue de Brest")
    expect(page.locator("main")).to_contain_text("Durée totale : 180 minutes sur 420 au plus.")

    # A few cells through htmx: each row answers "Enregistré" and the live status follows.
    assert points_shown(page) == 0
    for code, value in BY_HTMX.items():
        choose(page, code, value)
        expect(row(page, code).get_by_role("status")).to_have_text("Enregistré")
        expect(radio(page, code, value)).to_be_checked()
    expect(page.locator("#statut-grille")).to_contain_text("2 points sur")
    evaluation = dossier.evaluations.get()
    assert evaluation.judgements.count() == 3
    assert_accessible(page)

    # The rest through the whole-grid form (the path that works without JavaScript).
    codes = [
        code.replace("j-", "")
        for code in page.locator("input[type=radio][value=acquired]").evaluate_all("els => els.map(e => e.name)")
    ]
    assert len(codes) == 106
    rest = {code: ("not_acquired" if code in GAPS else "acquired") for code in codes if code not in BY_HTMX}
    set_radios_without_htmx(page, rest)
    page.get_by_role("button", name="Enregistrer la grille").click()
    page.get_by_text("103 résultats enregistrés.").wait_for()
    assert points_shown(page) == 103
    assert evaluation.judgements.count() == 106

    page.get_by_role("button", name="Clôturer l'évaluation").click()
    page.wait_for_url("**/resultats/")
    page.get_by_text("Proposez maintenant un parcours de formation").wait_for()
    content = page.locator("main").inner_text()
    assert "Ce qu'il reste à apprendre" in content
    assert "Vous suivez une formation sur ce qui manque" in content  # clea.evaluations.plain, state training
    assert "103 points sur 106" in content
    for criterion in Criterion.objects.filter(version=dossier.referentiel_version, code__in=GAPS):
        assert criterion.title in content  # what is missing, in the référentiel's own words
    assert_accessible(page)
    dossier.refresh_from_db()
    assert dossier.state == "training"
    assert dossier.initial_assessment_date == prealable_day

    # Training path on the gaps.
    page.get_by_role("link", name="Léa DURAND").click()
    page.get_by_role("link", name="Proposer un parcours de formation").click()
    page.wait_for_url("**/parcours/")
    assert f"tous les critères manquants ({len(GAPS)})" in page.locator("main").inner_text()
    page.get_by_label("Organisme de formation").select_option(label=path_setting["training_org"].name)
    page.get_by_label("Formateur").select_option(str(trainer.public_id))
    page.get_by_label("Durée prévue (heures)").fill("35")
    page.get_by_label("Début").fill((prealable_day + datetime.timedelta(days=7)).isoformat())
    page.get_by_label("Fin").fill((today - datetime.timedelta(days=7)).isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Proposer le parcours").click()
    page.get_by_text("Parcours de formation proposé.").wait_for()
    assert sorted(dossier.training_paths.get().targets.values_list("code", flat=True)) == sorted(GAPS)

    # Évaluation finale: only the gaps are editable, the rest is kept.
    page.get_by_role("link", name="Commencer l'évaluation finale").click()
    page.get_by_label("Évaluateur").select_option(str(evaluator.public_id))
    page.get_by_role("button", name="Commencer").click()
    page.get_by_text("Ajoutez les séances").wait_for()
    add_sitting(page, finale_day, "14:00", "16:00", "Rennes, 12 rue de Brest")
    assert page.locator("input[type=radio][value=acquired]").count() == len(GAPS)
    expect(row(page, "1.1.2")).to_contain_text("Acquis (conservé)")
    assert page.get_by_text("Acquis (conservé)").count() == 106 - len(GAPS)
    for code in GAPS:
        choose(page, code, "acquired")
        expect(row(page, code).get_by_role("status")).to_have_text("Enregistré")
    expect(page.locator("#statut-grille")).to_contain_text("tous les domaines sont acquis")
    assert_accessible(page)
    page.get_by_role("button", name="Clôturer l'évaluation").click()
    page.wait_for_url("**/resultats/")
    page.get_by_text("tous les domaines sont acquis. Le dossier peut aller au jury").wait_for()

    # Jury.
    page.get_by_role("link", name="Léa DURAND").click()
    expect(page.locator(".fr-badge--info")).to_have_text("Prêt pour le jury")
    page.get_by_role("link", name="Présenter au jury").click()
    assert "106 points sur 106" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_label("Note pour le jury (facultative)").fill("Parcours complet, candidate motivée.")
    page.get_by_role("button", name="Présenter au jury").click()
    page.get_by_text("Dossier présenté au jury.").wait_for()
    expect(page.locator(".fr-badge--info")).to_have_text("Présenté au jury")

    dossier.refresh_from_db()
    assert dossier.state == "awaiting_jury"
    assert dossier.deadline is not None and dossier.deadline > today
    assert dossier.events.count() >= 8
    evaluations = list(dossier.evaluations.order_by("started_at"))
    assert [(e.kind, e.is_closed) for e in evaluations] == [
        (EvaluationKind.INITIAL, True),
        (EvaluationKind.FINAL, True),
    ]
    final = evaluations[1]
    assert sorted(final.judgements.values_list("criterion__code", flat=True)) == sorted(GAPS)


def test_two_evaluators_same_cell_second_is_told_who_saved(page, browser, live_server, path_setting):
    first, second = path_setting["evaluator"], path_setting["colleague"]
    today = timezone.localdate()
    dossier = dossier_services.open_dossier(
        organisation=path_setting["organisation"],
        certification=path_setting["clea"],
        candidate=candidate_data(path_setting["rennes"]),
        candidate_status=CandidateStatus.JOB_SEEKER,
        initiator=Initiator.SELF,
        consent=True,
        by=first,
        today=today,
    )
    evaluation = evaluation_services.start_evaluation(
        dossier, kind=EvaluationKind.INITIAL, evaluator=first, by=first, today=today
    )
    evaluation_services.add_sitting(
        evaluation, date=today, start=datetime.time(9), end=datetime.time(11), place="Rennes", by=first
    )
    grid_url = f"/dossiers/{dossier.public_id}/evaluations/{evaluation.public_id}/grille/"

    other_context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    try:
        other = other_context.new_page()
        other.set_default_timeout(10_000)
        login(page, first.email)
        login(other, second.email)
        page.goto(grid_url)
        other.goto(grid_url)  # holds the revision of 1.1.1 as it is now: none

        choose(page, "1.1.1", "acquired")
        expect(row(page, "1.1.1").get_by_role("status")).to_have_text("Enregistré")

        choose(other, "1.1.1", "not_acquired")
        warning = row(other, "1.1.1").get_by_role("alert")
        expect(warning).to_contain_text(f"{first.get_full_name()} a enregistré « acquis »")
        expect(warning).to_contain_text("pendant que vous saisissiez")
        # The row now shows the first evaluator's judgement, with its revision, so a new choice can be saved.
        expect(radio(other, "1.1.1", "acquired")).to_be_checked()
        assert_accessible(other)

        judgements = CriterionJudgement.objects.filter(evaluation=evaluation, criterion__code="1.1.1")
        assert [(j.judgement, j.recorded_by) for j in judgements] == [("acquired", first)]

        # Having seen it, the colleague may still change the cell: it now names the current revision.
        choose(other, "1.1.1", "not_acquired")
        expect(row(other, "1.1.1").get_by_role("status")).to_have_text("Enregistré")
    finally:
        other_context.close()
    assert [(j.judgement, j.recorded_by) for j in judgements.all()] == [
        ("acquired", first),
        ("not_acquired", second),
    ]
