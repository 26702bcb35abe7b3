"""The candidate's whole path through the services, with the rules of docs/rules.md 5–14."""

import datetime

import pytest

from clea.dossiers import services as dossiers
from clea.dossiers.models import CandidateStatus, Initiator
from clea.dossiers.workflow import State, TransitionRefused
from clea.evaluations import services as evaluations
from clea.evaluations.models import EvaluationKind
from clea.lib.errors import Conflict, RuleViolation
from clea.referentiel.models import Criterion
from clea.training import services as training
from tests.conftest import candidate_data
from tests.factories import HabilitationFactory, MembershipFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 27)
A, N = "acquired", "not_acquired"


def open_dossier(s, **overrides):
    params = dict(
        organisation=s["organisation"],
        certification=s["clea"],
        candidate=candidate_data(s["rennes"]),
        candidate_status=CandidateStatus.EMPLOYEE,
        initiator=Initiator.SELF,
        employer=s["employer"],
        consent=True,
        evaluator=s["evaluator"],
        by=s["evaluator"],
        today=TODAY,
    )
    params.update(overrides)
    return dossiers.open_dossier(**params)


def grid(evaluation, judgements):
    revisions = evaluations.current_revisions(evaluation)
    criteria = {c.code: c for c in evaluation.scope.all()}
    return [
        evaluations.GridEntry(
            code, j, base_revision=revisions[criteria[code].pk].pk if criteria[code].pk in revisions else None
        )
        for code, j in judgements.items()
    ]


def all_codes(dossier):
    return list(Criterion.objects.filter(version=dossier.referentiel_version).values_list("code", flat=True))


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
        initial, grid(initial, {c: (N if c in gaps else A) for c in all_codes(dossier)}), by=s["evaluator"]
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
    evaluations.record_judgements(final, grid(final, dict.fromkeys(gaps, A)), by=s["colleague"])
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
    evaluations.record_judgements(initial, grid(initial, dict.fromkeys(all_codes(dossier), A)), by=s["evaluator"])
    assert evaluations.close_evaluation(initial, by=s["evaluator"]).eligible
    dossier.refresh_from_db()
    assert dossier.state == State.READY_FOR_JURY


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
    seen = grid(initial, {"1.1.1": A})
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
    codes = all_codes(dossier)
    evaluations.record_judgements(
        initial, grid(initial, {c: (N if c == "1.1.1" else A) for c in codes}), by=s["evaluator"]
    )
    evaluations.close_evaluation(initial, by=s["evaluator"])
    with pytest.raises(Conflict, match="clôturée"):
        evaluations.record_judgements(initial, grid(initial, {"1.1.1": A}), by=s["evaluator"])
    evaluations.record_judgements(
        initial, grid(initial, {"1.1.1": A}), by=s["evaluator"], correction_reason="Erreur de saisie"
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
    evaluations.record_judgements(initial, grid(initial, {c: N for c in all_codes(dossier)}), by=s["evaluator"])
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


def test_open_refuses_missing_consent_and_employer(path_setting):
    s = path_setting
    with pytest.raises(RuleViolation, match="consentement"):
        open_dossier(s, consent=False)
    with pytest.raises(RuleViolation, match="employeur"):
        open_dossier(s, employer=None)
    from clea.dossiers.models import Dossier

    assert not Dossier.objects.exists()
