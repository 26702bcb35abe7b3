from django.core.management.base import BaseCommand

from clea.lib.daily import daily_tasks


class Command(BaseCommand):
    help = (
        "Met en file les tâches quotidiennes déclarées par chaque application (expiration des dossiers, "
        "acceptation tacite des demandes d'absence, rappels de date limite, résumés quotidiens). "
        "À lancer chaque nuit, par exemple par cron : 5 2 * * * manage.py run_daily_tasks"
    )

    def handle(self, *args, **options):
        for daily in daily_tasks():
            result = daily.enqueue()
            self.stdout.write(f"Tâche {daily.name} mise en file ({result.status}).")
