from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "clea.api"
    verbose_name = "API"
