from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "clea.candidates"
    verbose_name = "Espace candidat"
