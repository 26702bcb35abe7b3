"""Background tasks of the funding app, and the list of daily tasks of the platform."""

from django.tasks import task
from django.utils import timezone

from clea.dossiers.services import remind_deadlines
from clea.dossiers.tasks import expire_overdue_dossiers
from clea.funding.absences import accept_silent_requests
from clea.notifications.sending import send_digests


@task
def accept_silent_absence_requests() -> int:
    """Daily: absence requests unanswered after 30 days are accepted (Code du travail D6323-4)."""
    return accept_silent_requests(timezone.localdate())


@task
def deadline_reminders() -> int:
    """Daily: reminders 6 months and 1 month before the 5-year limit."""
    return remind_deadlines(timezone.localdate())


@task
def notification_digests() -> int:
    """Daily: one summary e-mail for the people of organisations that chose a digest."""
    return send_digests()


DAILY_TASKS = [expire_overdue_dossiers, accept_silent_absence_requests, deadline_reminders, notification_digests]
