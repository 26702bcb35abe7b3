"""Jury rules as tables: quorum, majority, conflicts, pre-check."""

import datetime

import pytest

from clea.jury.rules import DossierFacts, Seat, conflicted, precheck, quorum_problem, sitting_problem, vote_problem

E, S = "employers", "employees"


@pytest.mark.parametrize(
    ("seats", "minimum", "ok"),
    [
        ([Seat(1, E, True, None), Seat(2, S, True, None)], 1, True),
        ([Seat(1, E, True, None), Seat(2, S, False, None)], 1, False),
        ([Seat(1, E, True, None), Seat(2, E, True, None)], 1, False),
        ([Seat(1, E, True, None), Seat(2, S, True, None)], 2, False),
        ([Seat(1, E, True, None), Seat(2, E, True, None), Seat(3, S, True, None), Seat(4, S, True, None)], 2, True),
        ([], 1, False),
    ],
    ids=["one-each", "employee-absent", "one-college-only", "two-needed", "two-each", "nobody"],
)
def test_quorum(seats, minimum, ok):
    problem = quorum_problem(seats, minimum)
    assert (problem is None) == ok
    if problem:
        assert "Quorum non atteint" in problem


@pytest.mark.parametrize(
    ("voters", "votes", "ok"),
    [
        (3, (2, 1, 0), True),
        (4, (2, 2, 0), False),
        (4, (3, 0, 1), True),
        (2, (1, 0, 0), False),
        (2, (2, 0, 0), True),
        (3, (3, 1, 0), False),
        (0, (0, 0, 0), False),
    ],
    ids=["2-of-3", "tie", "3-of-4", "half-is-not-majority", "unanimous", "more-votes-than-voters", "no-voter"],
)
def test_absolute_majority_of_present_voters(voters, votes, ok):
    problem = vote_problem(voters=voters, votes_for=votes[0], votes_against=votes[1], votes_abstain=votes[2])
    assert (problem is None) == ok


def test_members_of_employer_or_evaluator_do_not_vote():
    seats = [Seat(1, E, True, 10), Seat(2, S, True, 20), Seat(3, S, True, None), Seat(4, E, False, 10)]
    assert conflicted(seats, {10}) == {1}
    assert conflicted(seats, {10, 20}) == {1, 2}
    assert conflicted(seats, set()) == set()


CLEAN = DossierFacts(
    eligible=True,
    engine_explanation="",
    closed_initial=True,
    open_evaluations=0,
    had_training_without_final=False,
    last_evaluation_date=datetime.date(2026, 1, 10),
    deadline=datetime.date(2031, 1, 10),
    unhabilitated_dates=(),
    trainer_also_evaluator=False,
)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"eligible": False, "engine_explanation": "2 domaines manquent"}, "pas éligible : 2 domaines manquent"),
        ({"closed_initial": False}, "Aucune évaluation préalable"),
        ({"open_evaluations": 1}, "encore en cours"),
        ({"had_training_without_final": True}, "évaluation finale"),
        ({"last_evaluation_date": datetime.date(2031, 1, 11)}, "après la limite des 5 ans"),
        ({"unhabilitated_dates": (datetime.date(2026, 1, 10),)}, "Habilitation"),
        ({"trainer_also_evaluator": True}, "formateur"),
    ],
)
def test_precheck_flags_each_anomaly(change, fragment):
    assert precheck(CLEAN) == []
    problems = precheck(DossierFacts(**{**CLEAN.__dict__, **change}))
    assert len(problems) == 1 and fragment in problems[0]


@pytest.mark.parametrize(
    ("session_day", "today", "refused"),
    [
        (datetime.date(2026, 6, 15), datetime.date(2026, 6, 14), True),
        (datetime.date(2026, 6, 15), datetime.date(2026, 6, 15), False),
        (datetime.date(2026, 6, 15), datetime.date(2026, 9, 1), False),
    ],
)
def test_decisions_only_on_or_after_the_session_day(session_day, today, refused):
    problem = sitting_problem(session_day, today)
    assert (problem is not None) is refused
    if refused:
        assert "15/06/2026" in problem
