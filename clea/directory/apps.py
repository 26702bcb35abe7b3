from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "clea.directory"
    verbose_name = "Annuaire public"
