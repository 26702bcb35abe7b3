from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "clea.lib"
    label = "clea_lib"
    verbose_name = "Outils communs"
