"""Write the CPF reporting file of the awards not reported yet (and the rejected ones)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clea.certificates import services
from clea.lib.errors import RuleViolation
from clea.lib.plurals import ngettext


class Command(BaseCommand):
    help = "Écrit la déclaration CPF (XML validé par le schéma) des certifications non encore déclarées."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="Fichier à écrire (sinon, le XML est écrit sur la sortie).")

    def handle(self, *args, output=None, **options):
        try:
            export = services.export_to_cpf(by=None)
        except RuleViolation as exc:
            raise CommandError(exc.message) from exc
        if output:
            Path(output).write_text(export.content, encoding="utf-8")
            self.stderr.write(
                ngettext("%(n)d certificat déclaré", "%(n)d certificats déclarés", export.record_count)
                % {"n": export.record_count}
                + f" dans {output} (idFlux {export.public_id})."
            )
        else:
            self.stdout.write(export.content, ending="")
