from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "clea.evaluations"
    verbose_name = "Évaluations"

    def ready(self) -> None:
        from clea.dossiers.extensions import provide_assessment
        from clea.evaluations.services import dossier_assessment

        provide_assessment(dossier_assessment)
