from django.core.management.base import BaseCommand

from clea.referentiel.services import load_shipped_referentiels


class Command(BaseCommand):
    help = "Charge les référentiels livrés (CléA, CléA numérique provisoire) ; idempotent."

    def handle(self, *args, **options):
        for code, outcome in load_shipped_referentiels():
            self.stdout.write(f"Référentiel {code} : {outcome}.")
