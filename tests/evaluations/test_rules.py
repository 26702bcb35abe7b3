"""Separation of roles (docs/rules.md rule 12), whichever role is given first: a table of who is who."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clea.evaluations.rules import EVALUATOR_IS_TRAINER, TRAINER_IS_EVALUATOR, evaluator_problem, trainer_problem


@pytest.mark.parametrize(
    ("person", "trainers", "expected"),
    [
        (1, set(), None),
        (1, {2, 3}, None),
        (2, {2, 3}, EVALUATOR_IS_TRAINER),
        (3, [3], EVALUATOR_IS_TRAINER),
    ],
)
def test_an_evaluator_never_trains_the_candidate(person, trainers, expected):
    assert evaluator_problem(person, trainers) == expected


@pytest.mark.parametrize(
    ("person", "evaluators", "expected"),
    [
        (5, set(), None),
        (5, {1}, None),
        (1, {1}, TRAINER_IS_EVALUATOR),
        (4, {1, 4}, TRAINER_IS_EVALUATOR),
    ],
)
def test_a_trainer_never_evaluates_the_candidate(person, evaluators, expected):
    assert trainer_problem(person, evaluators) == expected


@given(st.integers(min_value=1, max_value=50), st.sets(st.integers(min_value=1, max_value=50)))
def test_both_directions_agree(person, others):
    assert (
        (evaluator_problem(person, others) is None)
        == (trainer_problem(person, others) is None)
        == (person not in others)
    )
