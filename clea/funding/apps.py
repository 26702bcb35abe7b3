from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "clea.funding"
    verbose_name = "Financements"
