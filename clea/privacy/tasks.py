"""Background tasks of the privacy app (django.tasks; run by ``manage.py db_worker``)."""

import datetime
from dataclasses import asdict

from django.conf import settings
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clea.lib.daily import daily
from clea.privacy.retention import sweep


@daily(rank=60)
@task
def retention_sweep() -> dict[str, int]:
    """Daily: notify, then anonymise, dossiers and meeting requests kept beyond their retention period."""
    return asdict(sweep(timezone.localdate()))


@daily(rank=95)
@task
def prune_task_results() -> int:
    """Daily: finished task results go after ``RETENTION_TASK_RESULTS_DAYS``: their arguments hold the
    e-mail addresses of the notifications they delivered."""
    cutoff = timezone.now() - datetime.timedelta(days=settings.RETENTION_TASK_RESULTS_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    return deleted
