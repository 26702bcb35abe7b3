"""Background work survives faults: abandoned tasks come back, failures retry with backoff, one daily run."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus, task
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clea.lib import scheduler, worker
from clea.lib.models import DailyRun, WorkerHeartbeat

# Its transactional test flushes every table: the geography comes back when the module ends.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("geography_back_for_later_tests")]
NOW = datetime.datetime(2026, 6, 15, 10, tzinfo=datetime.UTC)
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@task
def add(a: int, b: int) -> int:
    return a + b


def running(worker_ids):
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [1, 2], "kwargs": {}},
        task_path="tests.lib.test_worker.add",
        backend_name="default",
        queue_name="default",
        run_after=NOW,
        started_at=NOW,
        worker_ids=worker_ids,
    )


def test_a_task_of_a_silent_worker_goes_back_to_the_queue():
    WorkerHeartbeat.objects.create(worker_id="alive", beat_at=NOW - datetime.timedelta(seconds=5))
    WorkerHeartbeat.objects.create(worker_id="killed", beat_at=NOW - datetime.timedelta(minutes=5))
    held, abandoned, never_seen = running(["alive"]), running(["killed"]), running(["gone"])
    assert worker.recover_abandoned(NOW) == 2
    statuses = {r.pk: r.status for r in DBTaskResult.objects.all()}
    assert statuses[held.pk] == TaskResultStatus.RUNNING
    assert statuses[abandoned.pk] == statuses[never_seen.pk] == TaskResultStatus.READY
    assert worker.recover_abandoned(NOW) == 0


def test_a_task_abandoned_too_often_fails_visibly():
    result = running(["w"] * worker.MAX_ATTEMPTS)
    worker.recover_abandoned(NOW)
    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED and result.exception_class_path == "clea.lib.worker.Abandoned"


@pytest.mark.parametrize(("attempt", "seconds"), [(1, 30), (2, 120), (3, 480), (4, 1920)])
def test_retries_back_off(attempt, seconds):
    assert worker.retry_delay(attempt) == datetime.timedelta(seconds=seconds)


def test_a_failed_task_is_retried_later_until_its_attempts_are_used():
    result = running(["w1"])
    DBTaskResult.objects.filter(pk=result.pk).update(status=TaskResultStatus.FAILED)
    result.refresh_from_db()
    assert worker.schedule_retry(result, NOW) is True
    result.refresh_from_db()
    assert result.status == TaskResultStatus.READY and result.run_after == NOW + datetime.timedelta(seconds=30)
    exhausted = running(["w"] * worker.MAX_ATTEMPTS)
    DBTaskResult.objects.filter(pk=exhausted.pk).update(status=TaskResultStatus.FAILED)
    exhausted.refresh_from_db()
    assert worker.schedule_retry(exhausted, NOW) is False


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_queued_tasks_and_leaves_no_heartbeat_behind():
    with override_settings(TASKS=DB_TASKS):
        results = [add.enqueue(i, 1) for i in range(3)]
        call_command("run_worker", "--batch", "--no-startup-delay", "--worker-id", "w-test", stdout=io.StringIO())
    rows = DBTaskResult.objects.filter(pk__in=[r.id for r in results])
    assert {r.status for r in rows} == {TaskResultStatus.SUCCESSFUL}
    assert sorted(r.return_value for r in rows) == [1, 2, 3]
    assert not WorkerHeartbeat.objects.exists()


def test_the_scheduler_enqueues_the_daily_tasks_once_a_day(settings):
    settings.DAILY_TASKS_HOUR = 2
    early = timezone.make_aware(datetime.datetime(2026, 6, 15, 1, 30))
    assert scheduler.enqueue_daily_if_due(early) == []
    late = timezone.make_aware(datetime.datetime(2026, 6, 15, 9, 0))
    names = scheduler.enqueue_daily_if_due(late)
    assert "deadline_reminders" in names and "notification_digests" in names
    assert scheduler.enqueue_daily_if_due(late + datetime.timedelta(hours=3)) == []
    assert list(DailyRun.objects.values_list("day", flat=True)) == [datetime.date(2026, 6, 15)]
    assert scheduler.enqueue_daily_if_due(late + datetime.timedelta(days=1))
