"""``manage.py run_scheduler``: the scheduler process of the deployment (``Procfile``)."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from clea.lib.scheduler import enqueue_daily_if_due


class Command(BaseCommand):
    help = "Met en file les tâches quotidiennes une fois par jour, à partir de DAILY_TASKS_HOUR (heure de Paris)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60.0, help="Secondes entre deux vérifications.")
        parser.add_argument("--once", action="store_true", help="Vérifier une seule fois, puis s'arrêter.")

    def handle(self, *args, interval, once, **options):
        while True:
            close_old_connections()
            for name in enqueue_daily_if_due(timezone.now()):
                self.stdout.write(f"Tâche {name} mise en file.")
            if once:
                return
            time.sleep(interval)
