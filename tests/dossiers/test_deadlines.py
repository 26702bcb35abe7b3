"""The 5-year limit arithmetic and the one "past the deadline?" question every app asks."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clea.dossiers.deadlines import add_years, is_past, path_deadline

LIMIT = datetime.date(2031, 6, 15)


@pytest.mark.parametrize(
    ("deadline", "day", "past"),
    [
        (None, datetime.date(2099, 1, 1), False),
        (LIMIT, LIMIT - datetime.timedelta(days=1), False),
        (LIMIT, LIMIT, False),  # the last day is still allowed
        (LIMIT, LIMIT + datetime.timedelta(days=1), True),
    ],
)
def test_is_past(deadline, day, past):
    assert is_past(deadline, day) is past


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (datetime.date(2026, 6, 15), 5, datetime.date(2031, 6, 15)),
        (datetime.date(2028, 2, 29), 5, datetime.date(2033, 2, 28)),
        (datetime.date(2028, 2, 29), 4, datetime.date(2032, 2, 29)),
    ],
)
def test_add_years(start, years, expected):
    assert add_years(start, years) == expected


def test_no_initial_assessment_no_deadline():
    assert path_deadline(None, 5) is None


@given(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2090, 12, 31)))
def test_the_day_of_the_initial_assessment_is_never_past_its_own_deadline(day):
    deadline = path_deadline(day, 5)
    assert not is_past(deadline, day) and not is_past(deadline, deadline)
    assert is_past(deadline, deadline + datetime.timedelta(days=1))
