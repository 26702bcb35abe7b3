"""Background tasks of the quality app (django.tasks; run by ``manage.py db_worker``)."""

from django.tasks import task
from django.utils import timezone

from clea.lib.daily import daily
from clea.quality.reminders import remind_habilitation_ends


@daily(rank=35)
@task
def habilitation_end_reminders() -> int:
    """Daily: organisations are reminded 180 and 60 days before a habilitation ends."""
    return remind_habilitation_ends(timezone.localdate())
