from django.apps import AppConfig


class ReferentielConfig(AppConfig):
    name = "clea.referentiel"
    verbose_name = "Référentiels"
