"""The scheduler process of the deployment: enqueues the daily tasks once a day, whatever happens.

From ``DAILY_TASKS_HOUR`` (Paris time) on, the first scheduler to record today's ``DailyRun`` enqueues
the tasks; any other scheduler, or a restarted one, sees the row and does nothing. A scheduler that was
down fires as soon as it is back (late, never twice). The tasks themselves are idempotent, so even a
manual ``run_daily_tasks`` on top changes nothing.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from clea.lib.daily import daily_tasks
from clea.lib.models import DailyRun

logger = logging.getLogger(__name__)


def enqueue_daily_if_due(now: datetime.datetime) -> list[str]:
    """Names of the tasks enqueued now (empty when it is too early or today's run was already made)."""
    local = timezone.localtime(now)
    if local.hour < settings.DAILY_TASKS_HOUR or DailyRun.objects.filter(day=local.date()).exists():
        return []
    try:
        with transaction.atomic():
            DailyRun.objects.create(day=local.date())
            names = []
            for task in daily_tasks():
                task.enqueue()
                names.append(task.name)
    except IntegrityError:  # another scheduler recorded today's run first
        return []
    logger.info("Daily tasks enqueued for %s: %s", local.date(), ", ".join(names))
    return names
