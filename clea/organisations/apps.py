from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "clea.organisations"
    verbose_name = "Organisations"
