from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "clea.training"
    verbose_name = "Parcours de formation"
