import datetime

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from clea.demo.national import (
    DEFAULT_CHUNK,
    DEFAULT_SEED,
    NationalSeedError,
    bench_accounts_summary,
    check_database,
    format_report,
    seed_national,
)


class Command(BaseCommand):
    help = (
        "Remplit une base PostgreSQL de mesure (nom contenant « bench ») jusqu'à N dossiers réalistes "
        "répartis entre 300 organismes évaluateurs ; relancé avec un N plus grand, ajoute ce qui manque."
    )

    def add_arguments(self, parser):
        parser.add_argument("dossiers", type=int, help="nombre total de dossiers générés visé (ex. 100000)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"graine (défaut {DEFAULT_SEED})")
        parser.add_argument(
            "--chunk", type=int, default=DEFAULT_CHUNK, help=f"dossiers par transaction (défaut {DEFAULT_CHUNK})"
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="jour de référence AAAA-MM-JJ (défaut : aujourd'hui) ; même graine et même jour, mêmes données",
        )
        parser.add_argument(
            "--prepare",
            action="store_true",
            help="applique d'abord les migrations et charge référentiels et géographie",
        )

    def handle(self, *args, dossiers, seed, chunk, today, prepare, **options):
        if dossiers < 0 or chunk < 1:
            raise CommandError("Le nombre de dossiers et la taille des lots doivent être positifs.")
        try:
            check_database()
            if prepare:
                call_command("migrate", interactive=False, verbosity=0)
                call_command("load_referentiels", stdout=self.stdout)
                call_command("load_geography", stdout=self.stdout)
            report = seed_national(dossiers, seed=seed, chunk_size=chunk, today=today, write=self.stdout.write)
        except NationalSeedError as error:
            raise CommandError(str(error)) from error
        for line in format_report(report):
            self.stdout.write(line)
        self.stdout.write("Comptes de mesure (sans mot de passe : la mesure crée leurs sessions) :")
        for line in bench_accounts_summary():
            self.stdout.write(line)
