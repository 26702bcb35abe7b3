from django.apps import AppConfig


class AbsencesConfig(AppConfig):
    name = "clea.absences"
    verbose_name = "Autorisations d'absence"
