from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Prépare une plateforme de démonstration en une commande : migrations, référentiels, "
        "géographie officielle et données de démonstration (idempotent)."
    )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_referentiels", stdout=self.stdout)
        call_command("load_geography", stdout=self.stdout)
        call_command("load_demo", stdout=self.stdout)
