from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "clea.accounts"
    verbose_name = "Comptes"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from clea.accounts.sessions import record_login

        user_logged_in.connect(record_login, dispatch_uid="clea-record-login")
