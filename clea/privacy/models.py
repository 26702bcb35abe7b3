"""Personal data kept no longer than needed (rule 23): the person's requests, notices, anonymisations.

A request concerns one dossier (each dossier holds its own copy of the identity) and is answered by
the dossier's evaluator organisation within a month (RGPD art. 12.3). An anonymisation is recorded once
per dossier with who (``None``: the retention task) and why; what it erased is in ``clea.privacy.erasure``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from clea.dossiers.models import Dossier
from clea.lib import limits
from clea.lib.models import PublicIdModel
from clea.meetings.models import MeetingRequest


class RequestKind(models.TextChoices):
    CONSENT_WITHDRAWAL = "consent_withdrawal", "Retrait du consentement"
    ERASURE = "erasure", "Demande d'effacement"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "À traiter"
    ERASED = "erased", "Données anonymisées"
    REFUSED = "refused", "Refusée (motif donné à la personne)"


class PrivacyRequest(PublicIdModel):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="privacy_requests")
    kind = models.CharField("objet", max_length=20, choices=RequestKind.choices)
    message = models.TextField("message de la personne", blank=True, max_length=limits.NOTE)
    requested_at = models.DateTimeField("reçue le", auto_now_add=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answer_due = models.DateField("réponse due au plus tard le", db_index=True)
    status = models.CharField("état", max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    handled_at = models.DateTimeField("traitée le", null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer = models.TextField("réponse", blank=True, max_length=limits.REASON)

    class Meta:
        verbose_name = "demande sur les données personnelles"
        verbose_name_plural = "demandes sur les données personnelles"
        ordering = ["answer_due", "pk"]
        constraints = [
            # One pending request per dossier: a second click finds the first one.
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(status="pending"), name="one_pending_privacy_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"


class Anonymisation(models.Model):
    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="anonymisation")
    at = models.DateTimeField("anonymisé le", auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.CharField("motif", max_length=255)

    class Meta:
        verbose_name = "anonymisation d'un dossier"

    def __str__(self) -> str:
        return f"Anonymisation du {self.at:%d/%m/%Y}"


class RetentionNoticeQuerySet(models.QuerySet["RetentionNotice"]):
    def running(self) -> RetentionNoticeQuerySet:
        """Sent and waited on: neither acted on nor cancelled yet."""
        return self.filter(cancelled_on__isnull=True, done_on__isnull=True)


class RetentionNotice(models.Model):
    """The notice before the retention task anonymises: sent, then waited on, then acted on or cancelled."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    meeting_request = models.ForeignKey(
        MeetingRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    notified_on = models.DateField("prévenu le")
    due_on = models.DateField("anonymisation prévue le", db_index=True)
    cancelled_on = models.DateField("annulé le (activité ou demande de conservation)", null=True, blank=True)
    done_on = models.DateField("anonymisé le", null=True, blank=True)

    objects = RetentionNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = "préavis d'anonymisation"
        constraints = [
            models.CheckConstraint(
                condition=Q(dossier__isnull=False, meeting_request__isnull=True)
                | Q(dossier__isnull=True, meeting_request__isnull=False),
                name="retention_notice_one_subject",
            ),
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(cancelled_on__isnull=True, done_on__isnull=True, dossier__isnull=False),
                name="one_running_notice_per_dossier",
            ),
            models.UniqueConstraint(
                fields=["meeting_request"],
                condition=Q(cancelled_on__isnull=True, done_on__isnull=True, meeting_request__isnull=False),
                name="one_running_notice_per_meeting_request",
            ),
        ]

    def __str__(self) -> str:
        return f"Préavis du {self.notified_on:%d/%m/%Y}"
