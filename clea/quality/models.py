"""What the certifier's quality control records."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from clea.dossiers.models import Dossier
from clea.lib import limits
from clea.lib.models import PublicIdModel
from clea.organisations.models import Habilitation, Organisation
from clea.referentiel.models import Certification


class HabilitationReminder(models.Model):
    """A reminder that a habilitation ends, recorded with its e-mails in one transaction: a second daily
    run, or an overlapping one, finds it and sends nothing."""

    habilitation = models.ForeignKey(Habilitation, on_delete=models.CASCADE, related_name="end_reminders")
    valid_until = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_on = models.DateField()

    class Meta:
        verbose_name = "rappel de fin d'habilitation"
        constraints = [
            models.UniqueConstraint(
                fields=["habilitation", "valid_until", "days_before"], name="one_habilitation_reminder_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.habilitation_id} — {self.days_before} jours"


# --- audits (docs/rules.md rule 22) ---------------------------------------------------------------------


class Audit(PublicIdModel):
    """An audit campaign: a seeded, reproducible sample of dossiers per organisation, weighted by risk."""

    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("intitulé", max_length=200)
    period_start = models.DateField("dossiers évalués du")
    period_end = models.DateField("au")
    rate_percent = models.PositiveSmallIntegerField("taux d'échantillonnage (%)")
    minimum = models.PositiveSmallIntegerField("minimum par organisme")
    maximum = models.PositiveSmallIntegerField("maximum par organisme")
    seed = models.PositiveIntegerField("graine du tirage")
    answer_by = models.DateField("réponse attendue avant le")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "campagne d'audit"
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(maximum__gte=F("minimum")), name="audit_bounds_ordered"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="audit_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.title


class Conclusion(models.TextChoices):
    CONFORM = "conform", "Conforme"
    REMARKS = "remarks", "Conforme avec remarques"
    NON_CONFORM = "non_conform", "Non conforme"


class AuditedOrganisation(PublicIdModel):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="organisations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="audits")
    # What the draw saw: the organisation's dossiers in the period and its raised signals.
    population = models.PositiveIntegerField("dossiers de la période")
    risk_score = models.PositiveSmallIntegerField("signaux levés")
    signals = models.JSONField("signaux levés au tirage", default=list)
    answered_at = models.DateTimeField("réponse envoyée le", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    conclusion = models.CharField("conclusion", max_length=15, choices=Conclusion.choices, blank=True)
    conclusion_reason = models.TextField("motif", blank=True, max_length=limits.REASON)
    concluded_at = models.DateTimeField(null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "organisme audité"
        ordering = ["-risk_score", "organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "organisation"], name="one_audited_organisation_per_audit")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.audit}"


class AuditedDossier(PublicIdModel):
    audited = models.ForeignKey(AuditedOrganisation, on_delete=models.CASCADE, related_name="dossiers")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    weight = models.PositiveSmallIntegerField("poids au tirage")
    comment = models.TextField("réponse de l'organisme", blank=True, max_length=limits.REASON)
    commented_at = models.DateTimeField(null=True, blank=True)
    commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "dossier audité"
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["audited", "dossier"], name="one_audited_dossier")]

    def __str__(self) -> str:
        return str(self.dossier_id)


def _audit_path(document: AuditDocument, filename: str) -> str:
    return f"audits/{document.audited_dossier.public_id}/{uuid.uuid4().hex}.pdf"


class AuditDocument(PublicIdModel):
    audited_dossier = models.ForeignKey(AuditedDossier, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=_audit_path, max_length=200)
    filename = models.CharField("nom du fichier", max_length=255)
    size = models.PositiveIntegerField("taille (octets)")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "pièce d'audit"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.filename
