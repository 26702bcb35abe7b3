from django.core.management.base import BaseCommand

from clea.funding.tasks import DAILY_TASKS


class Command(BaseCommand):
    help = (
        "Met en file les tâches quotidiennes : expiration des dossiers au-delà de 5 ans, acceptation tacite "
        "des demandes d'absence sans réponse. À lancer chaque nuit, par exemple par cron : "
        "5 2 * * * manage.py run_daily_tasks"
    )

    def handle(self, *args, **options):
        for daily in DAILY_TASKS:
            result = daily.enqueue()
            self.stdout.write(f"Tâche {daily.name} mise en file ({result.status}).")
