from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "clea.quality"
    verbose_name = "Contrôle qualité"
