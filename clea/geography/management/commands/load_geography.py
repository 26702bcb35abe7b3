from django.core.management.base import BaseCommand

from clea.geography.loading import load_geography


class Command(BaseCommand):
    help = "Charge les régions, départements, communes et codes postaux officiels (idempotent)."

    def handle(self, *args, **options):
        report = load_geography()
        self.stdout.write(
            f"Géographie : {report.regions} régions, {report.departements} départements, "
            f"{report.communes} communes, {report.postcodes} codes postaux, {report.countries} pays ajoutés."
        )
