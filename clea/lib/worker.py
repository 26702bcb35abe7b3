"""Background work that survives faults, on top of django-tasks-db (Django's task API, database queue).

django-tasks-db 0.13 has no heartbeat: a task whose worker is killed stays RUNNING forever. This worker
adds the two missing pieces, as visibility timeouts do in queue engines:
- a **heartbeat**: each worker records ``WorkerHeartbeat.beat_at`` every ``HEARTBEAT_SECONDS``; any
  worker, every beat, puts back in the queue (READY) the tasks RUNNING on a worker silent for more than
  ``ABANDONED_AFTER_SECONDS``;
- **retries with backoff**: a failed task runs again after 30 s, 2 min, 8 min…, until ``MAX_ATTEMPTS``
  runs; then it stays FAILED, visible to operators (admin, ``/sante/``, error log without arguments).
A task may thus run more than once: every task is idempotent (each e-mail, reminder and digest is recorded
as sent under a lock), so a second run sends nothing twice. Engines with native heartbeats (Procrastinate,
RQ) need PostgreSQL or Redis, while ``make run`` serves the embedded SQLite database (docs/deploy.md).
"""

from __future__ import annotations

import datetime
import logging
import os
import threading
import time

from django.db import close_old_connections, connection, transaction
from django.db.utils import InterfaceError, OperationalError
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from clea.lib.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# Overridable from the environment for rehearsals (tools/ci/rehearsal.sh), which scale them down.
HEARTBEAT_SECONDS = int(os.environ.get("WORKER_HEARTBEAT_SECONDS", "10"))
ABANDONED_AFTER_SECONDS = int(os.environ.get("WORKER_ABANDONED_AFTER_SECONDS", "60"))
MAX_ATTEMPTS = 5
FIRST_RETRY_SECONDS = 30


def attempts(result: DBTaskResult) -> int:
    """Each run claims the task once, appending the worker's id."""
    return len(result.worker_ids or [])


def retry_delay(attempt: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=FIRST_RETRY_SECONDS * 4 ** (attempt - 1))


def beat(worker_id: str, now: datetime.datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"beat_at": now})


def recover_abandoned(now: datetime.datetime) -> int:
    """Tasks RUNNING on a worker that stopped beating go back to the queue (or fail after MAX_ATTEMPTS)."""
    alive = set(
        WorkerHeartbeat.objects.filter(
            beat_at__gte=now - datetime.timedelta(seconds=ABANDONED_AFTER_SECONDS)
        ).values_list("worker_id", flat=True)
    )
    recovered = 0
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("id", "worker_ids"):
        if (result.worker_ids or [""])[-1] in alive:
            continue
        with transaction.atomic():
            locked = DBTaskResult.objects.select_for_update().filter(pk=result.pk, status=TaskResultStatus.RUNNING)
            held = locked.first()
            if held is None or (held.worker_ids or [""])[-1] in alive:
                continue
            if attempts(held) >= MAX_ATTEMPTS:
                held.status, held.finished_at = TaskResultStatus.FAILED, now
                held.exception_class_path = "clea.lib.worker.Abandoned"
                held.traceback = "Worker stopped while running the task, too many times."
                held.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
                logger.error("Task %s (%s) abandoned %d times: failed", held.pk, held.task_path, attempts(held))
            else:
                held.status, held.run_after = TaskResultStatus.READY, now
                held.save(update_fields=["status", "run_after"])
                logger.warning("Task %s (%s) abandoned by its worker: back in the queue", held.pk, held.task_path)
            recovered += 1
    return recovered


def schedule_retry(result: DBTaskResult, now: datetime.datetime) -> bool:
    """After a failure: back in the queue after a growing delay, unless the task used up its attempts."""
    if attempts(result) >= MAX_ATTEMPTS:
        logger.error("Task %s (%s) failed %d times: left FAILED", result.pk, result.task_path, attempts(result))
        return False
    DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=now + retry_delay(attempts(result)), finished_at=None
    )
    logger.warning("Task %s (%s) failed: retry %d scheduled", result.pk, result.task_path, attempts(result) + 1)
    return True


class ResilientWorker(Worker):
    """django-tasks-db's worker, with a heartbeat thread and retries."""

    def run(self) -> None:
        stop = threading.Event()
        beating = threading.Thread(target=self._beat_until, args=(stop,), name="heartbeat", daemon=True)
        beat(self.worker_id, timezone.now())
        beating.start()
        try:
            while True:
                try:
                    super().run()
                    return
                except (OperationalError, InterfaceError) as error:
                    if not self.running:
                        raise
                    # The database went away (restart, failover): wait for it rather than exit. Under a new id:
                    # a task this worker held when it went is recovered like an abandoned one.
                    logger.warning("Database unreachable, worker %s waits: %s", self.worker_id, error)
                    self.worker_id = get_random_string(32)
                    time.sleep(max(self.interval, 1.0))
        finally:
            stop.set()
            beating.join(timeout=HEARTBEAT_SECONDS)
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()

    def _beat_until(self, stop: threading.Event) -> None:
        try:
            while not stop.wait(HEARTBEAT_SECONDS):
                close_old_connections()
                try:
                    now = timezone.now()
                    beat(self.worker_id, now)
                    recover_abandoned(now)
                except Exception:  # a database hiccup: beat again next time
                    logger.warning("Heartbeat of worker %s failed", self.worker_id, exc_info=True)
        finally:
            connection.close()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        if db_task_result.status == TaskResultStatus.FAILED:
            schedule_retry(db_task_result, timezone.now())
