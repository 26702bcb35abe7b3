"""Background tasks of notifications."""

from django.tasks import task

from clea.lib.daily import daily
from clea.notifications.sending import send_digests


@daily(rank=90)
@task
def notification_digests() -> int:
    """Daily: one summary e-mail for the people of organisations that chose a digest (after the others)."""
    return send_digests()
