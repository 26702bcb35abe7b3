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
