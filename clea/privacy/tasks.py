"""Background tasks of the privacy app (django.tasks; run by ``manage.py db_worker``)."""

from dataclasses import asdict

from django.tasks import task
from django.utils import timezone

from clea.lib.daily import daily
from clea.privacy.retention import sweep


@daily(rank=60)
@task
def retention_sweep() -> dict[str, int]:
    """Daily: notify, then anonymise, dossiers and meeting requests kept beyond their retention period."""
    return asdict(sweep(timezone.localdate()))
