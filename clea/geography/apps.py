from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "clea.geography"
    verbose_name = "Géographie administrative"
