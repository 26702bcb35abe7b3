"""Background tasks of the dossiers app (django.tasks; run by ``manage.py db_worker``)."""

from django.tasks import task
from django.utils import timezone

from clea.dossiers.services import expire_overdue, remind_deadlines
from clea.lib.daily import daily


@daily(rank=10)
@task
def expire_overdue_dossiers() -> int:
    """Daily: dossiers past the 5-year limit expire (a new évaluation préalable is then needed)."""
    return expire_overdue(timezone.localdate())


@daily(rank=30)
@task
def deadline_reminders() -> int:
    """Daily: reminders 6 months and 1 month before the 5-year limit."""
    return remind_deadlines(timezone.localdate())
