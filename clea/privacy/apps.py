from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "clea.privacy"
    verbose_name = "Données personnelles"
