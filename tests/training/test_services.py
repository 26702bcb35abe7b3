"""Training services on the cast's dossier (préalable closed with gaps): the path aims at every missing
criterion (and may add more), its trainer is a trainer of the chosen organisation and never an
evaluator of the candidate, it ends before the 5-year limit; progress is dated and described (rule 12)."""

import datetime

import pytest

from clea.evaluations.rules import TRAINER_IS_EVALUATOR
from clea.lib.errors import RuleViolation
from clea.training import services as training
from tests.cast import GAPS
from tests.clock import TODAY
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def propose(cast, **overrides):
    params = dict(
        training_organisation=cast.training_organisation,
        trainer=cast.trainer,
        planned_hours=35,
        start_date=TODAY,
        end_date=TODAY + datetime.timedelta(days=30),
        target_codes=[],
        by=cast.evaluator,
    )
    params.update(overrides)
    return training.propose_training_path(cast.dossier, **params)


def test_the_path_aims_at_every_missing_criterion(cast, path_setting):
    assert set(training.missing_criteria_codes(cast.dossier)) == set(GAPS)
    assert set(cast.training_path.targets.values_list("code", flat=True)) == set(GAPS)
    more = propose(cast, target_codes=["3.1.1"])
    assert set(more.targets.values_list("code", flat=True)) == {*GAPS, "3.1.1"}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"planned_hours": 0}, "planned_hours", "1 à 2 000 heures"),
        ({"end_date": TODAY - datetime.timedelta(days=1)}, "end_date", "suivre son début"),
        ({"end_date": datetime.date(2031, 11, 28)}, "end_date", "limite des 5 ans"),
        ({"target_codes": ["9.9.9"]}, "targets", "inconnu"),
    ],
    ids=["no-hours", "ends-before-start", "past-the-5-year-limit", "unknown-criterion"],
)
def test_bad_paths_are_refused(cast, path_setting, overrides, field, message):
    with pytest.raises(RuleViolation, match=message) as refused:
        propose(cast, **overrides)
    assert refused.value.field == field
    assert cast.dossier.training_paths.count() == 1  # the cast's own path only


def test_the_trainer_belongs_to_the_training_organisation(cast, path_setting):
    with pytest.raises(RuleViolation, match="appartenir à l'organisme de formation") as refused:
        propose(cast, trainer=cast.colleague)
    assert refused.value.field == "trainer"


def test_an_evaluator_of_the_candidate_never_trains_them(cast, path_setting):
    """Even when the dossier's evaluator also trains for the training organisation."""
    MembershipFactory(user=cast.evaluator, organisation=cast.training_organisation, role="trainer")
    with pytest.raises(RuleViolation, match="séparation des rôles") as refused:
        propose(cast, trainer=cast.evaluator)
    assert refused.value.message == TRAINER_IS_EVALUATOR


def test_progress_is_dated_and_described(cast, path_setting):
    path = cast.training_path
    note = training.record_progress(
        path, date=TODAY, hours_done=6, note="Bonne progression", by=cast.trainer, today=TODAY
    )
    assert (note.hours_done, note.recorded_by) == (6, cast.trainer)
    assert cast.dossier.events.filter(kind="training_progress").exists()
    tomorrow = TODAY + datetime.timedelta(days=1)
    with pytest.raises(RuleViolation, match="futur"):
        training.record_progress(path, date=tomorrow, hours_done=1, note="x", by=cast.trainer, today=TODAY)
    with pytest.raises(RuleViolation, match="Décrivez"):
        training.record_progress(path, date=TODAY, hours_done=1, note="  ", by=cast.trainer, today=TODAY)
    assert path.progress_notes.count() == 1
