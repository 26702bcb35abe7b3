from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from clea.demo.data import ACCOUNTS, DEMO_PASSWORD, STAFF_ACCOUNT, load_demo


class Command(BaseCommand):
    help = "Charge les données de démonstration (refusé quand DEBUG est désactivé)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Données de démonstration refusées : DEBUG est désactivé (environnement de production ?)."
            )
        report = load_demo(timezone.localdate())
        self.stdout.write(
            f"Démonstration : {report.organisations} organisations, {report.users} comptes, "
            f"{report.memberships} rattachements, {report.habilitations} habilitations, "
            f"{report.dossiers} dossiers ajoutés."
        )
        self.stdout.write(f"\nComptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for account in [*ACCOUNTS, STAFF_ACCOUNT]:
            self.stdout.write(f"  {account.email:32} {account.description}")
