from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "clea.audit"
    verbose_name = "Journal des modifications"
