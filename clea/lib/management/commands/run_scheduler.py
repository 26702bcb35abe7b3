"""``manage.py run_scheduler``: the scheduler process of the deployment (``Procfile``)."""

import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.db.utils import InterfaceError, OperationalError
from django.utils import timezone

from clea.lib.scheduler import enqueue_daily_if_due

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Met en file les tâches quotidiennes une fois par jour, à partir de DAILY_TASKS_HOUR (heure de Paris)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60.0, help="Secondes entre deux vérifications.")
        parser.add_argument("--once", action="store_true", help="Vérifier une seule fois, puis s'arrêter.")

    def handle(self, *args, interval, once, **options):
        while True:
            try:
                close_old_connections()
                names = enqueue_daily_if_due(timezone.now())
            except (OperationalError, InterfaceError) as error:
                if once:
                    raise
                # The database went away (restart, failover): try again next time rather than exit.
                logger.warning("Database unreachable, the scheduler waits: %s", error)
                names = []
            for name in names:
                self.stdout.write(f"Tâche {name} mise en file.")
            if once:
                return
            time.sleep(interval)
