"""Read a CPF processing acknowledgement: each record becomes accepted or rejected."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clea.certificates import services
from clea.lib.errors import RuleViolation


class Command(BaseCommand):
    help = "Importe un accusé de traitement CPF (XML) : chaque certificat déclaré devient accepté ou rejeté."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Fichier XML de l'accusé de traitement.")

    def handle(self, *args, path, **options):
        try:
            content = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Lecture impossible : {exc}") from exc
        try:
            result = services.import_cpf_ack(content, by=None)
        except RuleViolation as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Accusé importé : {result.summary}")
        for technical_id in result.unknown:
            self.stdout.write(f"  inconnu de ce fichier : {technical_id}")
        for number in result.conflicts:
            self.stdout.write(f"  contradiction avec un accusé précédent : {number}")
