"""The candidate's whole path through the services, with the rules of docs/rules.md 5–14; opening
refusals, duplicates and transfers."""

import datetime

import pytest

from clea.dossiers import services as dossiers
from clea.dossiers.models import CandidateStatus
from clea.dossiers.workflow import State
from clea.evaluations import services as evaluations
from clea.evaluations.models import EvaluationKind
from clea.lib.errors import RuleViolation
from clea.training import services as training
from tests.conftest import candidate_data
from tests.dossiers import builders
from tests.dossiers.builders import TODAY, criteria_codes, grid_entries
from tests.factories import HabilitationFactory, MembershipFactory

pytestmark = pytest.mark.django_db
A, N = "acquired", "not_acquired"


def open_dossier(s, **overrides):
    """An employee of the bakery (the employer is a party to the dossier)."""
    return builders.open_dossier(
        s, **{"candidate_status": CandidateStatus.EMPLOYEE, "employer": s["employer"], **overrides}
    )


def test_whole_path_with_training(path_setting):
    s = path_setting
    dossier = open_dossier(s)
    assert dossier.state == State.INFORMATION
    dossiers.record_meeting(
        dossier, date=TODAY, adviser=s["evaluator"], outcome="continues", notes="", by=s["evaluator"], today=TODAY
    )
    initial = evaluations.start_evaluation(
        dossier, kind=EvaluationKind.INITIAL, evaluator=s["evaluator"], by=s["evaluator"], today=TODAY
    )
    evaluations.add_sitting(
        initial, date=TODAY, start=datetime.time(9), end=datetime.time(12), place="Rennes", by=s["evaluator"]
    )
    evaluations.add_sitting(
        initial,
        date=TODAY + datetime.timedelta(days=1),
        start=datetime.time(9),
        end=datetime.time(13),
        place="Rennes",
        by=s["evaluator"],
    )
    gaps = {"1.1.1", "1.1.2", "2.4.1"}
    evaluations.record_judgements(
        initial, grid_entries(initial, {c: (N if c in gaps else A) for c in criteria_codes(dossier)}), by=s["evaluator"]
    )
    result = evaluations.close_evaluation(initial, by=s["evaluator"])
    dossier.refresh_from_db()
    assert not result.eligible
    assert dossier.state == State.TRAINING
    assert dossier.initial_assessment_date == TODAY + datetime.timedelta(days=1)
    assert dossier.deadline == datetime.date(2031, 11, 28)

    # Someone who is both evaluator here and trainer there still cannot train this candidate.
    MembershipFactory(user=s["evaluator"], organisation=s["training_org"], role="trainer")
    with pytest.raises(RuleViolation, match="évaluateur"):
        training.propose_training_path(
            dossier,
            training_organisation=s["training_org"],
            trainer=s["evaluator"],
            planned_hours=40,
            start_date=TODAY,
            end_date=TODAY,
            target_codes=[],
            by=s["evaluator"],
        )
    path = training.propose_training_path(
        dossier,
        training_organisation=s["training_org"],
        trainer=s["trainer"],
        planned_hours=40,
        start_date=TODAY,
        end_date=TODAY + datetime.timedelta(days=60),
        target_codes=["3.1.1"],
        by=s["evaluator"],
    )
    assert set(path.targets.values_list("code", flat=True)) == gaps | {"3.1.1"}
    # The trainer may never evaluate this candidate, even if they also evaluate for this organisation.
    MembershipFactory(user=s["trainer"], organisation=s["organisation"], role="evaluator")
    with pytest.raises(RuleViolation, match="formatrice"):
        evaluations.start_evaluation(
            dossier, kind=EvaluationKind.FINAL, evaluator=s["trainer"], by=s["evaluator"], today=TODAY
        )

    final = evaluations.start_evaluation(
        dossier,
        kind=EvaluationKind.FINAL,
        evaluator=s["colleague"],
        by=s["evaluator"],
        today=TODAY + datetime.timedelta(days=90),
    )
    assert set(final.scope.values_list("code", flat=True)) == gaps
    with pytest.raises(RuleViolation, match="hors de cette évaluation"):
        evaluations.record_judgements(final, [evaluations.GridEntry("3.1.1", N)], by=s["colleague"])
    evaluations.add_sitting(
        final,
        date=TODAY + datetime.timedelta(days=90),
        start=datetime.time(9),
        end=datetime.time(12),
        place="Rennes",
        by=s["colleague"],
    )
    with pytest.raises(RuleViolation, match="au plus 3 h"):
        evaluations.add_sitting(
            final,
            date=TODAY + datetime.timedelta(days=91),
            start=datetime.time(9),
            end=datetime.time(9, 1),
            place="Rennes",
            by=s["colleague"],
        )
    evaluations.record_judgements(final, grid_entries(final, dict.fromkeys(gaps, A)), by=s["colleague"])
    result = evaluations.close_evaluation(final, by=s["colleague"])
    dossier.refresh_from_db()
    assert result.eligible and result.points == 106
    assert dossier.state == State.READY_FOR_JURY
    dossiers.submit_to_jury(dossier, by=s["evaluator"], summary="Tout est acquis")
    dossier.refresh_from_db()
    assert dossier.state == State.AWAITING_JURY
    kinds = list(dossier.events.values_list("kind", flat=True))
    assert kinds[0] == "opened" and kinds[-1] == "submitted"
    assert all(e.by_id for e in dossier.events.all())


def test_all_acquired_goes_straight_to_jury(path_setting):
    s = path_setting
    dossier = open_dossier(s)
    initial = evaluations.start_evaluation(
        dossier, kind="initial", evaluator=s["evaluator"], by=s["evaluator"], today=TODAY
    )
    evaluations.add_sitting(
        initial, date=TODAY, start=datetime.time(9), end=datetime.time(16), place="Rennes", by=s["evaluator"]
    )
    evaluations.record_judgements(
        initial, grid_entries(initial, dict.fromkeys(criteria_codes(dossier), A)), by=s["evaluator"]
    )
    assert evaluations.close_evaluation(initial, by=s["evaluator"]).eligible
    dossier.refresh_from_db()
    assert dossier.state == State.READY_FOR_JURY


def test_duplicate_detected_and_transfer(path_setting):
    s = path_setting
    dossier = open_dossier(s)
    other = s["outsider"].memberships.get().organisation
    HabilitationFactory(organisation=other, certification=s["clea"], valid_from=datetime.date(2026, 1, 1))
    with pytest.raises(dossiers.DuplicateDossier, match="demandez le transfert"):
        open_dossier(
            s,
            organisation=other,
            candidate=candidate_data(s["rennes"], birth_name="DURAND", first_names="lea"),
            evaluator=None,
            by=s["outsider"],
        )
    transfer = dossiers.request_transfer(
        organisation=other,
        certification=s["clea"],
        candidate_identity=candidate_data(s["rennes"]),
        reason="Déménagement",
        by=s["outsider"],
    )
    dossiers.answer_transfer(transfer, accept=True, reason="", by=s["org_admin"])
    dossier.refresh_from_db()
    assert dossier.evaluator_organisation == other
    assert dossier.events.filter(kind="transferred").exists()


def test_open_refuses_missing_consent_and_an_employer_that_is_not_one(path_setting):
    s = path_setting
    with pytest.raises(RuleViolation, match="consentement"):
        open_dossier(s, consent=False)
    with pytest.raises(RuleViolation, match="pas une organisation de type employeur"):
        open_dossier(s, candidate_status=CandidateStatus.EMPLOYEE, employer=s["organisation"])
    from clea.dossiers.models import Dossier

    assert not Dossier.objects.exists()


def test_a_job_seeker_involves_the_employer_about_to_hire_them(path_setting):
    """POE: the future employer funds the training before hiring; the person names it, as an employee does."""
    dossier = open_dossier(path_setting, candidate_status=CandidateStatus.JOB_SEEKER, employer=path_setting["employer"])
    assert dossier.employer_involved
    # Rule 15: an employee need not tell their employer.
    employee = open_dossier(path_setting, birth_name="Autre", candidate_status=CandidateStatus.EMPLOYEE, employer=None)
    assert employee.employer is None
