from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "clea.evaluations"
    verbose_name = "Évaluations"
