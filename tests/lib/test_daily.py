import io

from django.core.management import call_command

from clea.lib.daily import daily_tasks


def test_every_app_registers_its_daily_tasks_in_rank_order():
    names = [task.name for task in daily_tasks()]
    assert names == [
        "expire_overdue_dossiers",
        "accept_silent_absence_requests",
        "deadline_reminders",
        "habilitation_end_reminders",
        "meeting_reminders",
        "retention_sweep",  # before the digests: they summarise what it notified
        "notification_digests",
        "prune_task_results",  # last: the day's deliveries are done
    ]


def test_daily_command_enqueues_each_registered_task(db):
    out = io.StringIO()
    call_command("run_daily_tasks", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split()[1] for line in lines] == [task.name for task in daily_tasks()]
