"""Legal delays of absence authorisations (D6323-4), as tables and properties."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clea.absences.rules import absence_dates, is_long_training, training_dates_problem

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "long"),
    [
        (D(2027, 3, 1), D(2027, 3, 1), False),
        (D(2027, 3, 1), D(2027, 8, 30), False),
        (D(2027, 3, 1), D(2027, 8, 31), True),
        (D(2027, 3, 1), D(2028, 2, 1), True),
        (D(2027, 8, 31), D(2028, 2, 27), False),
        (D(2027, 8, 31), D(2028, 2, 28), True),
    ],
    ids=["one-day", "a-day-short-of-6-months", "exactly-6-months", "11-months", "end-of-month-short", "end-of-month"],
)
def test_long_training_boundary(start, end, long):
    assert is_long_training(start, end) is long


@pytest.mark.parametrize(
    ("requested_on", "start", "end", "notice", "latest", "late", "answer_due"),
    [
        (D(2027, 1, 1), D(2027, 3, 2), D(2027, 4, 1), 60, D(2027, 1, 1), False, D(2027, 1, 31)),
        (D(2027, 1, 2), D(2027, 3, 2), D(2027, 4, 1), 60, D(2027, 1, 1), True, D(2027, 2, 1)),
        (D(2027, 1, 1), D(2027, 5, 1), D(2027, 12, 1), 120, D(2027, 1, 1), False, D(2027, 1, 31)),
        (D(2027, 2, 1), D(2027, 5, 1), D(2027, 12, 1), 120, D(2027, 1, 1), True, D(2027, 3, 3)),
    ],
    ids=["short-on-time", "short-one-day-late", "long-on-time", "long-late"],
)
def test_dates(requested_on, start, end, notice, latest, late, answer_due):
    dates = absence_dates(requested_on=requested_on, start=start, end=end)
    assert (dates.notice_days, dates.latest_request_date, dates.request_late, dates.answer_due) == (
        notice,
        latest,
        late,
        answer_due,
    )


def test_silence_after_30_days_is_acceptance():
    dates = absence_dates(requested_on=D(2027, 1, 1), start=D(2027, 3, 2), end=D(2027, 3, 5))
    assert not dates.tacitly_accepted(D(2027, 1, 31), answered=False)
    assert dates.tacitly_accepted(D(2027, 2, 1), answered=False)
    assert not dates.tacitly_accepted(D(2027, 2, 1), answered=True)


def test_end_before_start_refused():
    with pytest.raises(ValueError, match="finir après"):
        absence_dates(requested_on=D(2027, 1, 1), start=D(2027, 3, 2), end=D(2027, 3, 1))


@given(
    requested=st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 1, 1)),
    lead=st.integers(min_value=-30, max_value=400),
    length=st.integers(min_value=0, max_value=800),
)
def test_properties(requested, lead, length):
    start = requested + datetime.timedelta(days=lead)
    end = start + datetime.timedelta(days=length)
    dates = absence_dates(requested_on=requested, start=start, end=end)
    # Longer trainings never need less notice; late means fewer days than the notice before the start.
    assert dates.notice_days in (60, 120)
    assert dates.request_late == ((start - requested).days < dates.notice_days)
    assert (dates.answer_due - requested).days == 30


TODAY_FOR_DATES = datetime.date(2026, 6, 15)


@pytest.mark.parametrize(
    ("start", "end", "refused"),
    [
        (datetime.date(2026, 9, 1), datetime.date(2026, 12, 1), None),
        (datetime.date(2025, 6, 15), datetime.date(2025, 7, 1), None),
        (datetime.date(2025, 6, 1), datetime.date(2025, 7, 1), "entre le"),
        (datetime.date(2031, 6, 1), datetime.date(2031, 6, 15), None),
        (datetime.date(2031, 6, 1), datetime.date(2031, 6, 16), "entre le"),
        (datetime.date(9999, 1, 1), datetime.date(9999, 12, 31), "entre le"),
        (datetime.date(1, 1, 1), datetime.date(2026, 7, 1), "entre le"),
        (datetime.date(2026, 9, 1), datetime.date(2026, 8, 1), "finir après"),
    ],
)
def test_training_dates_of_a_clea_path(start, end, refused):
    problem = training_dates_problem(start, end, TODAY_FOR_DATES)
    assert (problem is None) if refused is None else (refused in problem)
