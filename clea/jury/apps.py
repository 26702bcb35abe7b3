from django.apps import AppConfig


class JuryConfig(AppConfig):
    name = "clea.jury"
    verbose_name = "Jurys"
