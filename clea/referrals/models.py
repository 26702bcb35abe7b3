"""Referrals: a prescriber orients a person, with their consent, towards an evaluator organisation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from clea.accounts.memberships import is_certifier
from clea.accounts.memberships import organisation_ids as member_organisation_ids
from clea.dossiers.identity import validate_birth_date
from clea.dossiers.models import CandidateStatus, Dossier
from clea.lib import limits
from clea.lib.models import PublicIdModel
from clea.organisations.models import Organisation
from clea.referentiel.models import Certification


class ReferralStatus(models.TextChoices):
    SENT = "sent", "Envoyée"
    ACCEPTED = "accepted", "Acceptée : dossier ouvert"
    DECLINED = "declined", "Déclinée"


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(self, user) -> ReferralQuerySet:
        """The prescribing organisation, the evaluator organisation it was sent to, the certifier."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_certifier(user):
            return self
        ids = member_organisation_ids(user)
        return self.filter(Q(prescriber_id__in=ids) | Q(evaluator_organisation_id__in=ids))


class Referral(PublicIdModel):
    """A prescriber orients a person, with their consent, towards an evaluator organisation (rule 8)."""

    prescriber = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referrals_sent")
    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    evaluator_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_received"
    )
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="+")
    birth_name = models.CharField("nom de naissance", max_length=150)
    first_names = models.CharField("prénoms", max_length=200)
    birth_date = models.DateField("date de naissance", validators=[validate_birth_date])
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    candidate_status = models.CharField("situation", max_length=30, choices=CandidateStatus.choices)
    note = models.TextField("message à l'organisme", blank=True, max_length=limits.NOTE)
    consent_at = models.DateTimeField("consentement recueilli le")
    share_results = models.BooleanField("la personne accepte que le prescripteur voie ses résultats", default=False)
    status = models.CharField(max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    sent_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decline_reason = models.TextField("motif", blank=True, max_length=limits.REASON)
    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, null=True, blank=True, related_name="referral")

    objects = ReferralQuerySet.as_manager()

    class Meta:
        db_table = "dossiers_referral"  # kept when the model moved from dossiers to its own app
        verbose_name = "orientation"
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["evaluator_organisation", "status"]),
            models.Index(fields=["prescriber", "-sent_at"]),
        ]

    def __str__(self) -> str:
        return f"Orientation de {self.first_names.split(' ')[0]} {self.birth_name.upper()}"
