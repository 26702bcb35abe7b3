from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from clea.demo.data import DEMO_TOTP_KEY, demo_totp_secret


class Command(BaseCommand):
    help = (
        "Affiche le code de double authentification du moment des comptes de démonstration sensibles "
        "(certificateur, jury, admin). Refusé quand DEBUG est désactivé."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refusé : DEBUG est désactivé (environnement de production ?).")
        code = str(TOTP(bytes.fromhex(DEMO_TOTP_KEY)).token()).zfill(6)
        self.stdout.write(f"Code du moment : {code}  (clé à ajouter dans une application : {demo_totp_secret()})")
