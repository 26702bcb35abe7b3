"""Date arithmetic for the 5-year limit (pure: ``today`` is always passed in)."""

from __future__ import annotations

import datetime


def add_years(day: datetime.date, years: int) -> datetime.date:
    """Same day N years later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def path_deadline(initial_assessment_date: datetime.date | None, years: int) -> datetime.date | None:
    """The last day on which the évaluation finale may take place (docs/rules.md rule 12)."""
    if initial_assessment_date is None:
        return None
    return add_years(initial_assessment_date, years)


def is_past(deadline: datetime.date | None, day: datetime.date) -> bool:
    """``day`` falls after the last allowed day; the deadline's own day is still allowed; no deadline, never."""
    return deadline is not None and day > deadline


def months_before(day: datetime.date, months: int) -> datetime.date:
    return add_months(day, -months)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day N months later (or earlier), clamped to the month's last day."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month + 1, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


# Reminders are sent this many months before the limit; lists flag dossiers within the first one.
REMINDER_MONTHS = (6, 1)


# A scheduler that was down catches up on reminders that fell due within this many days.
REMINDER_CATCH_UP_DAYS = 7


def reminder_windows(today: datetime.date) -> list[tuple[int, datetime.date, datetime.date]]:
    """``(months, first, last)``: deadlines from ``first`` to ``last`` are due for that reminder today."""
    windows = []
    for months in REMINDER_MONTHS:
        last = add_months(today, months)
        windows.append((months, max(last - datetime.timedelta(days=REMINDER_CATCH_UP_DAYS - 1), today), last))
    return windows


def warning_horizon(today: datetime.date) -> datetime.date:
    """Deadlines up to this day are shown as close."""
    return add_months(today, REMINDER_MONTHS[0])
