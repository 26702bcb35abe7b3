from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "clea.dossiers"
    verbose_name = "Dossiers des candidats"
