from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "clea.campaigns"
    verbose_name = "Campagnes d'habilitation"
