from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "clea.notifications"
    verbose_name = "Notifications"
