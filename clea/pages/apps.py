from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "clea.pages"
    verbose_name = "Pages"
