"""Paritaire jury sessions, their members by college, the dossiers put on them and the decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from clea.accounts.memberships import acts_for_one_organisation, is_certifier
from clea.accounts.memberships import organisation_ids as member_organisation_ids
from clea.dossiers.models import Dossier
from clea.geography.models import Region
from clea.lib import limits
from clea.lib.models import PublicIdModel
from clea.organisations.models import Organisation
from clea.referentiel.models import Certification


class College(models.TextChoices):
    EMPLOYERS = "employers", "Collège employeurs"
    EMPLOYEES = "employees", "Collège salariés"


class SessionStatus(models.TextChoices):
    PLANNED = "planned", "Prévue"
    CLOSED = "closed", "Close (procès-verbal signé)"


class JurySessionQuerySet(models.QuerySet["JurySession"]):
    def visible_to(self, user) -> JurySessionQuerySet:
        """The organiser's staff, the session's members, and the certifier."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_certifier(user):
            return self
        organisation_ids = member_organisation_ids(user)
        if acts_for_one_organisation(user):
            return self.filter(organiser_id__in=organisation_ids)
        return self.filter(Q(organiser_id__in=organisation_ids) | Q(members__user=user)).distinct()


class JurySession(PublicIdModel):
    organiser = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="jury_sessions")
    date = models.DateField("date")
    start = models.TimeField("heure", null=True, blank=True)
    place = models.CharField("lieu", max_length=255, blank=True)
    remote = models.BooleanField("à distance", default=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="région")
    certifications = models.ManyToManyField(Certification, related_name="+", verbose_name="certifications")
    status = models.CharField(max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField("close le", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The signed minutes are kept as issued, with their SHA-256 so any copy can be checked.
    minutes = models.BinaryField("procès-verbal signé (PDF)", null=True, editable=False)
    minutes_sha256 = models.CharField(max_length=64, blank=True)

    objects = JurySessionQuerySet.as_manager()

    class Meta:
        verbose_name = "session de jury"
        verbose_name_plural = "sessions de jury"
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["organiser", "-date"]), models.Index(fields=["region", "status"])]

    def __str__(self) -> str:
        return f"Jury du {self.date:%d/%m/%Y} — {self.region}"

    @property
    def is_closed(self) -> bool:
        return self.status == SessionStatus.CLOSED


class JuryMember(PublicIdModel):
    session = models.ForeignKey(JurySession, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="jury_seats"
    )
    full_name = models.CharField("nom", max_length=255)
    college = models.CharField("collège", max_length=10, choices=College.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="organisation représentée",
    )
    present = models.BooleanField("présent", default=False)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "membre du jury"
        ordering = ["college", "full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_college_display()})"


class SessionDossier(PublicIdModel):
    """A dossier put on a session; the automatic pre-check is stored as it was when computed."""

    session = models.ForeignKey(JurySession, on_delete=models.PROTECT, related_name="entries")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="jury_entries")
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    precheck_problems = models.JSONField("anomalies du contrôle automatique", default=list, blank=True)
    precheck_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "dossier présenté"
        ordering = ["added_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "dossier"], name="dossier_once_per_session")]

    @property
    def is_clean(self) -> bool:
        return not self.precheck_problems


class Outcome(models.TextChoices):
    AWARDED = "awarded", "Certification délivrée"
    NOT_AWARDED = "not_awarded", "Certification non délivrée"
    ADJOURNED = "adjourned", "Ajourné"


class Decision(PublicIdModel):
    """One decision per dossier and session, recorded with votes, reasons, who and when; never edited."""

    entry = models.OneToOneField(SessionDossier, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField("décision", max_length=15, choices=Outcome.choices)
    reasons = models.TextField("motifs", blank=True, max_length=limits.REASON)
    votes_for = models.PositiveSmallIntegerField("voix pour")
    votes_against = models.PositiveSmallIntegerField("voix contre", default=0)
    votes_abstain = models.PositiveSmallIntegerField("abstentions", default=0)
    # Members linked to the candidate's employer or evaluator organisation do not vote on this dossier.
    excluded_members = models.ManyToManyField(JuryMember, related_name="+", blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "décision du jury"
        ordering = ["decided_at", "pk"]
        indexes = [models.Index(fields=["outcome"])]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} — {self.entry.dossier}"
