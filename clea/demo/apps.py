from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "clea.demo"
    verbose_name = "Données de démonstration"
