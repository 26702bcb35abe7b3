"""``manage.py run_worker``: the task worker of the deployment (``Procfile``), see ``clea.lib.worker``."""

from django_tasks_db.management.commands import db_worker

from clea.lib import worker


class Command(db_worker.Command):
    help = (
        "Exécute les tâches en file (e-mails, tâches quotidiennes) avec signal de vie : une tâche dont le "
        "worker s'arrête est reprise par un autre, une tâche en échec est retentée avec un délai croissant."
    )

    def handle(self, *args, **options):
        # db_worker builds its Worker from this module attribute: ours adds heartbeats and retries.
        original = db_worker.Worker
        db_worker.Worker = worker.ResilientWorker  # type: ignore[misc]  # a class patched on purpose
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]  # restored
