"""Background tasks of the funding app, and the list of daily tasks of the platform."""

from django.tasks import task
from django.utils import timezone

from clea.dossiers.tasks import expire_overdue_dossiers
from clea.funding.absences import accept_silent_requests


@task
def accept_silent_absence_requests() -> int:
    """Daily: absence requests unanswered after 30 days are accepted (Code du travail D6323-4)."""
    return accept_silent_requests(timezone.localdate())


DAILY_TASKS = [expire_overdue_dossiers, accept_silent_absence_requests]
