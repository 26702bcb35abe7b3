from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clea.referentiel.documents import DocumentError, parse_csv, parse_json
from clea.referentiel.models import Certification
from clea.referentiel.services import import_version


class Command(BaseCommand):
    help = (
        "Importe un référentiel (JSON ou CSV) comme nouvelle version brouillon. "
        "Un fichier invalide est refusé en entier."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--certification", help="Code de la certification (obligatoire pour un CSV).")
        parser.add_argument("--label", default="", help="Libellé de la version (CSV).")

    def handle(self, *args, path: Path, certification: str | None, label: str, **options):
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Fichier illisible : {exc.strerror}.") from None
        target = None
        if certification:
            target = Certification.objects.filter(code=certification).first()
            if target is None:
                raise CommandError(f"Certification « {certification} » inconnue.")
        try:
            if path.suffix.lower() == ".csv":
                if target is None:
                    raise CommandError("Indiquez --certification pour importer un CSV.")
                document = parse_csv(
                    content,
                    certification_code=target.code,
                    certification_name=target.name,
                    label=label,
                )
            else:
                document = parse_json(content)
                if target and target.code != document.spec.certification_code:
                    raise CommandError(
                        f"Le fichier décrit la certification {document.spec.certification_code}, pas {target.code}."
                    )
        except DocumentError as exc:
            raise CommandError("Import refusé :\n- " + "\n- ".join(exc.errors)) from None
        version = import_version(document, certification=target)
        self.stdout.write(f"Version {version.number} de {version.certification.name} importée en brouillon.")
