from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "clea.accounts"
    verbose_name = "Comptes"
