"""Habilitation campaigns (docs/rules.md rule 21): the certifier opens one, organisations apply, the
certifier instructs and decides; an accepted application becomes a habilitation."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from clea.funding.statements import euros
from clea.geography.models import Region
from clea.lib import limits
from clea.lib.models import PublicIdModel
from clea.organisations.models import Habilitation, Organisation
from clea.referentiel.models import Certification


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def open_on(self, day: datetime.date) -> CampaignQuerySet:
        return self.filter(opens_on__lte=day, closes_on__gte=day)


class Campaign(PublicIdModel):
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("intitulé", max_length=200)
    opens_on = models.DateField("candidatures à partir du")
    closes_on = models.DateField("candidatures jusqu'au")
    habilitation_from = models.DateField("habilitations valables du")
    habilitation_until = models.DateField("habilitations valables jusqu'au")
    admits_training = models.BooleanField("ouverte aux organismes de formation", default=False)
    application_fee_cents = models.PositiveIntegerField("redevance par candidature (centimes HT)", default=0)
    establishment_fee_cents = models.PositiveIntegerField("redevance par établissement (centimes HT)", default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "campagne d'habilitation"
        ordering = ["-opens_on", "pk"]
        indexes = [models.Index(fields=["opens_on", "closes_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="campaign_period_ordered"),
            models.CheckConstraint(
                condition=Q(habilitation_until__gt=models.F("habilitation_from")),
                name="campaign_habilitation_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, day: datetime.date) -> bool:
        return self.opens_on <= day <= self.closes_on

    @property
    def application_fee_display(self) -> str:
        return euros(self.application_fee_cents)

    @property
    def establishment_fee_display(self) -> str:
        return euros(self.establishment_fee_cents)


class RequiredDocument(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="required_documents")
    label = models.CharField("pièce demandée", max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "pièce demandée"
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "label"], name="unique_required_document")]

    def __str__(self) -> str:
        return self.label


class ApplicationState(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Déposée, en instruction"
    MORE_REQUESTED = "more_requested", "Compléments demandés"
    ACCEPTED = "accepted", "Acceptée"
    REJECTED = "rejected", "Refusée"


EDITABLE_STATES = (ApplicationState.DRAFT, ApplicationState.MORE_REQUESTED)
PENDING_STATES = (ApplicationState.SUBMITTED, ApplicationState.MORE_REQUESTED)


class Application(PublicIdModel):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="habilitation_applications")
    state = models.CharField(
        "état", max_length=20, choices=ApplicationState.choices, default=ApplicationState.DRAFT, db_index=True
    )
    regions = models.ManyToManyField(Region, related_name="+", verbose_name="régions", blank=True)
    # A renewal: the habilitation this application would follow (its regions and establishments prefilled).
    renewal_of = models.ForeignKey(
        Habilitation, on_delete=models.PROTECT, null=True, blank=True, related_name="renewal_applications"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("déposée le", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField("motif de la décision", blank=True, max_length=limits.REASON)
    habilitation = models.OneToOneField(
        Habilitation, on_delete=models.PROTECT, null=True, blank=True, related_name="application"
    )

    class Meta:
        verbose_name = "candidature à l'habilitation"
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["campaign", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation"],
                name="one_application_per_campaign",
                violation_error_message="Votre organisation a déjà une candidature pour cette campagne.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.campaign}"

    @property
    def editable(self) -> bool:
        return self.state in EDITABLE_STATES


class Establishment(PublicIdModel):
    """An establishment (SIRET) the application asks habilitation for."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="establishments")
    siret = models.CharField("SIRET", max_length=14)
    name = models.CharField("nom de l'établissement", max_length=255)

    class Meta:
        verbose_name = "établissement candidat"
        ordering = ["siret"]
        indexes = [models.Index(fields=["siret"])]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "siret"],
                name="unique_establishment_per_application",
                violation_error_message="Cet établissement figure déjà dans la candidature.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.siret})"


def _document_path(document: ApplicationDocument, filename: str) -> str:
    # A random name: the organisation's own filename (personal data, sometimes) stays in the database.
    return f"campaigns/{document.application.public_id}/{uuid.uuid4().hex}.pdf"


class Verdict(models.TextChoices):
    PENDING = "", "À vérifier"
    ACCEPTED = "accepted", "Conforme"
    REFUSED = "refused", "Non conforme"


class ApplicationDocument(PublicIdModel):
    """One upload of a required piece; a new upload supersedes the older, which is kept."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    required = models.ForeignKey(RequiredDocument, on_delete=models.PROTECT, related_name="uploads")
    file = models.FileField(upload_to=_document_path, max_length=200)
    filename = models.CharField("nom du fichier", max_length=255)
    size = models.PositiveIntegerField("taille (octets)")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField("vérification", max_length=10, choices=Verdict.choices, blank=True, default="")
    check_note = models.TextField("remarque", blank=True, max_length=limits.REASON)
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "pièce déposée"
        ordering = ["required__position", "-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["application", "required", "uploaded_at"])]

    def __str__(self) -> str:
        return self.filename


class InformationRequest(models.Model):
    """The certifier asks for more; the organisation's answer sends the application back to instruction."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="information_requests")
    message = models.TextField("demande", max_length=limits.REASON)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answer = models.TextField("réponse", blank=True, max_length=limits.REASON)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "demande de compléments"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.message[:50]
