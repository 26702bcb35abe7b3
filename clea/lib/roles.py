"""Kinds of organisation and roles of their members.

Pure choices, kept at the bottom layer so that any model (référentiel versions, dossiers, jury sessions)
can scope its rows to the reader's memberships without importing the organisations app.
"""

from django.db import models


class OrganisationKind(models.TextChoices):
    CERTIFIER = "certifier", "Certificateur"
    EVALUATOR = "evaluator", "Organisme évaluateur"
    TRAINING = "training", "Organisme de formation"
    PRESCRIBER = "prescriber", "Prescripteur"
    EMPLOYER = "employer", "Employeur"
    JURY_ORGANISER = "jury_organiser", "Organisateur de jury"


class Role(models.TextChoices):
    ADMIN = "admin", "Administrateur de la structure"
    CERTIFIER_OFFICER = "certifier_officer", "Chargé de certification"
    EVALUATOR = "evaluator", "Évaluateur"
    TRAINER = "trainer", "Formateur"
    ADVISER = "adviser", "Conseiller"
    EMPLOYER_CONTACT = "employer_contact", "Référent employeur"
    JURY_ORGANISER = "jury_organiser", "Organisateur de jury"
    JURY_MEMBER = "jury_member", "Membre de jury"
