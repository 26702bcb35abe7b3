"""Background tasks of the meetings app (django.tasks; run by ``manage.py db_worker``)."""

from django.tasks import task
from django.utils import timezone

from clea.lib.daily import daily
from clea.meetings.reminders import send_reminders


@daily(rank=40)
@task
def meeting_reminders() -> int:
    """Daily: the day before an information meeting, a reminder to the person (once)."""
    return send_reminders(timezone.now())
