from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "clea.meetings"
    verbose_name = "Demandes de réunion d'information"

    def ready(self) -> None:
        from clea.dossiers.extensions import provide_opening_source
        from clea.meetings.opening import meeting_request_opening

        provide_opening_source(meeting_request_opening)
