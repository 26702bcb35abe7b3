from django.core.management.base import BaseCommand, CommandError

from clea.referentiel.documents import to_csv, to_json
from clea.referentiel.models import ReferentielVersion, VersionStatus


class Command(BaseCommand):
    help = "Exporte une version de référentiel en JSON ou CSV sur la sortie standard."

    def add_arguments(self, parser):
        parser.add_argument("certification", help="Code de la certification, par ex. CLEA.")
        parser.add_argument("--number", type=int, help="Numéro de version (par défaut : celle en vigueur).")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, certification: str, number: int | None, format: str, **options):
        versions = ReferentielVersion.objects.with_structure().filter(certification__code=certification)
        versions = versions.filter(status=VersionStatus.ACTIVE) if number is None else versions.filter(number=number)
        found = versions.first()
        if found is None:
            raise CommandError("Aucune version correspondante.")
        spec = found.to_spec()
        if format == "csv":
            self.stdout.write(to_csv(spec), ending="")
        else:
            cert = found.certification
            self.stdout.write(
                to_json(spec, full_name=cert.full_name, certifier_name=cert.certifier_name),
                ending="",
            )
