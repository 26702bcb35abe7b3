"""Separation of roles (docs/rules.md rule 12), whichever role is given first: a table of who is who."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clea.evaluations.rules import (
    EVALUATOR_IS_TRAINER,
    TRAINER_IS_EVALUATOR,
    comments_problem,
    evaluator_problem,
    trainer_problem,
)
from clea.lib import limits


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


@pytest.mark.parametrize(
    ("comments", "expected"),
    [
        ({}, None),
        ({"1.1.1": ""}, None),
        ({"1.1.1": "x" * limits.COMMENT}, None),
        ({"1.1.1": "x" * (limits.COMMENT + 1)}, "1.1.1"),
        ({"2.1.1": "x" * 10_000, "1.1.1": "court", "1.2.1": "y" * 1_001}, "1.2.1, 2.1.1"),
    ],
    ids=["none", "empty", "at-the-limit", "one-over", "two-over-sorted"],
)
def test_a_grid_comment_is_at_most_the_limit(comments, expected):
    problem = comments_problem(comments)
    if expected is None:
        assert problem is None
    else:
        assert problem == f"Commentaire trop long pour {expected} : {limits.COMMENT} caractères au plus."


@given(st.dictionaries(st.from_regex(r"[1-7]\.[1-4]\.[1-9]", fullmatch=True), st.integers(0, 3 * limits.COMMENT)))
def test_comment_refusals_name_exactly_the_long_ones(lengths):
    problem = comments_problem({code: "é" * n for code, n in lengths.items()})
    long = sorted(code for code, n in lengths.items() if n > limits.COMMENT)
    assert (problem is None) == (not long)
    if long:
        assert ", ".join(long) in problem
