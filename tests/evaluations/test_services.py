"""Evaluation services: sittings (duration, overlap, habilitation), the append-only grid (stale saves,
corrections of a closed evaluation), the order préalable → finale and the 5-year limit (docs/rules.md 9–13)."""

import datetime

import pytest

from clea.dossiers import services as dossiers
from clea.dossiers.workflow import State, TransitionRefused
from clea.evaluations import services as evaluations
from clea.lib.errors import Conflict, RuleViolation
from clea.training import services as training
from tests.dossiers.builders import TODAY, criteria_codes, grid_entries, open_dossier

pytestmark = pytest.mark.django_db
A, N = "acquired", "not_acquired"


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (datetime.time(10), datetime.time(9), "finir après son début"),
        (datetime.time(8), datetime.time(16, 1), "au plus 7 h"),
        (datetime.time(11), datetime.time(12), "chevauche"),
    ],
    ids=["ends-before-start", "over-7-hours", "overlap"],
)
def test_bad_sittings_refused(path_setting, start, end, message):
    s = path_setting
    dossier = open_dossier(s)
    initial = evaluations.start_evaluation(
        dossier, kind="initial", evaluator=s["evaluator"], by=s["evaluator"], today=TODAY
    )
    evaluations.add_sitting(
        initial, date=TODAY, start=datetime.time(10), end=datetime.time(11, 30), place="R", by=s["evaluator"]
    )
    day = TODAY + datetime.timedelta(days=1) if message == "au plus 7 h" else TODAY
    with pytest.raises(RuleViolation, match=message):
        evaluations.add_sitting(initial, date=day, start=start, end=end, place="R", by=s["evaluator"])
    assert initial.sittings.count() == 1


def test_not_habilitated_date_refused(path_setting):
    s = path_setting
    dossier = open_dossier(s)
    initial = evaluations.start_evaluation(
        dossier, kind="initial", evaluator=s["evaluator"], by=s["evaluator"], today=TODAY
    )
    with pytest.raises(RuleViolation, match="n'a pas d'habilitation"):
        evaluations.add_sitting(
            initial,
            date=datetime.date(2033, 1, 5),
            start=datetime.time(9),
            end=datetime.time(10),
            place="R",
            by=s["evaluator"],
        )


def test_stale_grid_save_is_refused_and_shows_the_other_change(path_setting):
    s = path_setting
    dossier = open_dossier(s)
    initial = evaluations.start_evaluation(
        dossier, kind="initial", evaluator=s["evaluator"], by=s["evaluator"], today=TODAY
    )
    seen = grid_entries(initial, {"1.1.1": A})
    evaluations.record_judgements(initial, [evaluations.GridEntry("1.1.1", N, "hésitant", None)], by=s["colleague"])
    with pytest.raises(Conflict) as error:
        evaluations.record_judgements(initial, seen, by=s["evaluator"])
    stale = error.value.stale[0]
    assert (stale.criterion_code, stale.judgement, stale.comment) == ("1.1.1", N, "hésitant")
    assert stale.by == str(s["colleague"])
    assert initial.judgements.count() == 1


def test_closed_evaluation_is_immutable_but_correctable_with_reason(path_setting):
    s = path_setting
    dossier = open_dossier(s)
    initial = evaluations.start_evaluation(
        dossier, kind="initial", evaluator=s["evaluator"], by=s["evaluator"], today=TODAY
    )
    evaluations.add_sitting(
        initial, date=TODAY, start=datetime.time(9), end=datetime.time(16), place="Rennes", by=s["evaluator"]
    )
    codes = criteria_codes(dossier)
    evaluations.record_judgements(
        initial, grid_entries(initial, {c: (N if c == "1.1.1" else A) for c in codes}), by=s["evaluator"]
    )
    evaluations.close_evaluation(initial, by=s["evaluator"])
    with pytest.raises(Conflict, match="clôturée"):
        evaluations.record_judgements(initial, grid_entries(initial, {"1.1.1": A}), by=s["evaluator"])
    evaluations.record_judgements(
        initial, grid_entries(initial, {"1.1.1": A}), by=s["evaluator"], correction_reason="Erreur de saisie"
    )
    dossier.refresh_from_db()
    assert dossier.state == State.READY_FOR_JURY
    assert initial.judgements.filter(criterion__code="1.1.1").count() == 2


def test_final_after_deadline_refused_and_daily_expiry(path_setting):
    s = path_setting
    dossier = open_dossier(s)
    initial = evaluations.start_evaluation(
        dossier, kind="initial", evaluator=s["evaluator"], by=s["evaluator"], today=TODAY
    )
    evaluations.add_sitting(
        initial, date=TODAY, start=datetime.time(9), end=datetime.time(16), place="Rennes", by=s["evaluator"]
    )
    evaluations.record_judgements(
        initial, grid_entries(initial, {c: N for c in criteria_codes(dossier)}), by=s["evaluator"]
    )
    evaluations.close_evaluation(initial, by=s["evaluator"])
    training.propose_training_path(
        dossier,
        training_organisation=s["training_org"],
        trainer=s["trainer"],
        planned_hours=300,
        start_date=TODAY,
        end_date=TODAY,
        target_codes=[],
        by=s["evaluator"],
    )
    late = datetime.date(2031, 11, 28)
    with pytest.raises(Conflict, match="délai de 5 ans"):
        evaluations.start_evaluation(dossier, kind="final", evaluator=s["evaluator"], by=s["evaluator"], today=late)
    assert dossiers.expire_overdue(datetime.date(2031, 11, 27)) == 0
    assert dossiers.expire_overdue(late) == 1
    dossier.refresh_from_db()
    assert dossier.state == State.EXPIRED


def test_final_before_closed_initial_refused(path_setting):
    s = path_setting
    dossier = open_dossier(s)
    with pytest.raises(TransitionRefused):
        evaluations.start_evaluation(dossier, kind="final", evaluator=s["evaluator"], by=s["evaluator"], today=TODAY)


def test_an_overlong_comment_refuses_the_whole_save(path_setting):
    """10,000 characters on one criterion: refused with the criterion named, and the other cells of the
    same save are not written either (all or nothing)."""
    s = path_setting
    dossier = open_dossier(s)
    initial = evaluations.start_evaluation(
        dossier, kind="initial", evaluator=s["evaluator"], by=s["evaluator"], today=TODAY
    )
    entries = [
        evaluations.GridEntry("1.1.1", A, "solide", None),
        evaluations.GridEntry("1.1.2", N, "x" * 10_000, None),
    ]
    with pytest.raises(RuleViolation, match=r"Commentaire trop long pour 1\.1\.2 : 1000 caractères au plus"):
        evaluations.record_judgements(initial, entries, by=s["evaluator"])
    assert not initial.judgements.exists()
