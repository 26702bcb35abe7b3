"""Legal dates of an absence authorisation for CPF training on work time (Code du travail D6323-4).

Pure: dates in, dates out. The employee asks at least 60 days before a training shorter than six
months, 120 days before a longer one; the employer answers within 30 days; silence is acceptance.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from clea.dossiers.deadlines import add_months

SHORT_NOTICE_DAYS = 60
LONG_NOTICE_DAYS = 120
ANSWER_DAYS = 30
LONG_TRAINING_MONTHS = 6


# A CléA path lasts at most 5 years: training dates beyond that, or long past, are input errors.
YEARS_AHEAD = 5
YEARS_BEHIND = 1


def training_dates_problem(start: datetime.date, end: datetime.date, today: datetime.date) -> str | None:
    """Why the training's dates cannot be those of a CléA path (None when they can)."""
    earliest = today.replace(year=today.year - YEARS_BEHIND, day=min(today.day, 28))
    latest = today.replace(year=today.year + YEARS_AHEAD, day=min(today.day, 28))
    if not (earliest <= start <= latest and earliest <= end <= latest):
        return (
            f"Les dates de la formation doivent tomber entre le {earliest:%d/%m/%Y} et le {latest:%d/%m/%Y} "
            "(un parcours CléA dure au plus 5 ans)."
        )
    if end < start:
        return "La formation doit finir après son début."
    return None


@dataclass(frozen=True)
class AbsenceDates:
    notice_days: int
    latest_request_date: datetime.date
    answer_due: datetime.date
    request_late: bool

    def tacitly_accepted(self, today: datetime.date, answered: bool) -> bool:
        """No answer once the 30 days are over counts as acceptance."""
        return not answered and today > self.answer_due


def is_long_training(start: datetime.date, end: datetime.date) -> bool:
    """Six months or more from the first to the last day."""
    return end >= add_months(start, LONG_TRAINING_MONTHS) - datetime.timedelta(days=1)


def absence_dates(*, requested_on: datetime.date, start: datetime.date, end: datetime.date) -> AbsenceDates:
    if end < start:
        raise ValueError("La formation doit finir après son début.")
    notice = LONG_NOTICE_DAYS if is_long_training(start, end) else SHORT_NOTICE_DAYS
    latest = start - datetime.timedelta(days=notice)
    return AbsenceDates(
        notice_days=notice,
        latest_request_date=latest,
        answer_due=requested_on + datetime.timedelta(days=ANSWER_DAYS),
        request_late=requested_on > latest,
    )
