from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_table(sender, using="default", verbosity=1, **kwargs):
    """The database cache's table comes with ``migrate``: no deployment or test database lacks it."""
    call_command("createcachetable", database=using, verbosity=0)


class LibConfig(AppConfig):
    name = "clea.lib"
    label = "clea_lib"
    verbose_name = "Outils communs"

    def ready(self):
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="clea.lib.create_cache_table")
