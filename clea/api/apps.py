from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "clea.api"
    verbose_name = "API"

    def ready(self):
        from clea.api import schema  # noqa: F401 (registers the schema extensions)
