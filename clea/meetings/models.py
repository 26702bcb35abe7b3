"""A person's own request for an information meeting, sent from the directory without an account.

Rule 10: the meeting is without commitment and the dossier is opened afterwards, only if the person
agrees. Until then the request keeps only what is needed to meet them, and a request closed without a
dossier is emptied of it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from clea.lib.models import PublicIdModel
from clea.organisations.models import Organisation
from clea.referentiel.models import Certification


class RequestStatus(models.TextChoices):
    NEW = "new", "Nouvelle : à contacter"
    PROPOSED = "proposed", "Date proposée"
    OPENED = "opened", "Dossier ouvert"
    CLOSED = "closed", "Close sans dossier (coordonnées effacées)"


OPEN_STATUSES = (RequestStatus.NEW, RequestStatus.PROPOSED)


class MeetingRequest(PublicIdModel):
    evaluator_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="meeting_requests")
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=150)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    preferred_times = models.CharField("disponibilités", max_length=500, blank=True)
    consent_at = models.DateTimeField("accord pour être recontacté le")
    status = models.CharField("état", max_length=10, choices=RequestStatus.choices, default=RequestStatus.NEW)
    proposed_for = models.DateTimeField("réunion proposée le", null=True, blank=True)
    created_at = models.DateTimeField("reçue le", auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField("close le", null=True, blank=True)
    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, null=True, blank=True, related_name="meeting_request"
    )

    class Meta:
        verbose_name = "demande de réunion d'information"
        verbose_name_plural = "demandes de réunion d'information"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["evaluator_organisation", "status", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="", phone="") | Q(status="closed"), name="meeting_request_reachable"
            )
        ]

    def __str__(self) -> str:
        return f"Demande de réunion de {self.first_name} {self.last_name.upper()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
