"""Absence authorisations: an employee asks their employer for time off work to follow CPF training."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from clea.accounts.memberships import active_memberships, is_certifier
from clea.dossiers.models import Dossier
from clea.funding.models import PAID_WORK_TIME
from clea.lib import limits
from clea.lib.models import PublicIdModel
from clea.lib.roles import OrganisationKind, Role


class AbsenceStatus(models.TextChoices):
    PENDING = "pending", "En attente de réponse"
    ACCEPTED = "accepted", "Acceptée"
    REFUSED = "refused", "Refusée"
    OTHER_DATES = "other_dates", "Acceptée à d'autres dates"
    TACITLY_ACCEPTED = "tacitly_accepted", "Acceptée sans réponse (30 jours)"


class AbsenceRequestQuerySet(models.QuerySet["AbsenceRequest"]):
    def visible_to(self, user) -> "AbsenceRequestQuerySet":
        """Employer staff see their requests; the evaluator organisation sees those of its dossiers."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_certifier(user):
            return self
        employers = [
            m.organisation_id
            for m in active_memberships(user)
            if m.organisation.kind == OrganisationKind.EMPLOYER and m.role in (Role.ADMIN, Role.EMPLOYER_CONTACT)
        ]
        return self.filter(Q(employer_id__in=employers) | Q(dossier__in=Dossier.objects.visible_to(user)))


class AbsenceRequest(PublicIdModel):
    """An employee's request to follow CPF training on work time (docs/rules.md rule 16)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="absence_requests")
    employer = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="absence_requests"
    )
    requested_on = models.DateField("demande reçue le")
    start_date = models.DateField("début de la formation")
    end_date = models.DateField("fin de la formation")
    hours = models.PositiveIntegerField("heures sur le temps de travail")
    # Computed from the law when the request is recorded (clea.absences.rules).
    latest_request_date = models.DateField("date limite de la demande")
    answer_due = models.DateField("réponse attendue au plus tard le", db_index=True)
    request_late = models.BooleanField("demande hors délai", default=False)
    status = models.CharField("état", max_length=20, choices=AbsenceStatus.choices, default=AbsenceStatus.PENDING)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refusal_reason = models.TextField("motif du refus", blank=True, max_length=limits.REASON)
    other_start_date = models.DateField("autres dates : début", null=True, blank=True)
    other_end_date = models.DateField("autres dates : fin", null=True, blank=True)
    # Rule 16: CPF training on work time is paid time. Recorded on each request, and never unset (the
    # check constraint): the law, not the employer's choice.
    pay_maintained = models.BooleanField(PAID_WORK_TIME, default=True)
    # The funding line the acceptance wrote (explicit, other dates or tacit): one per request at most.
    pay_line = models.OneToOneField(
        "funding.FundingLine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="absence_request",
        verbose_name="ligne de financement du temps de travail",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AbsenceRequestQuerySet.as_manager()

    class Meta:
        db_table = "funding_absencerequest"  # kept when the model moved from funding to its own app
        verbose_name = "demande d'autorisation d'absence"
        ordering = ["-requested_on", "-pk"]
        indexes = [models.Index(fields=["employer", "status"]), models.Index(fields=["status", "answer_due"])]
        constraints = [models.CheckConstraint(condition=Q(pay_maintained=True), name="absence_pay_maintained")]

    def __str__(self) -> str:
        return f"Absence du {self.start_date:%d/%m/%Y} au {self.end_date:%d/%m/%Y} — {self.get_status_display()}"


# The answers that grant the absence, hence the paid work time (rule 16).
ACCEPTING = frozenset({AbsenceStatus.ACCEPTED, AbsenceStatus.OTHER_DATES, AbsenceStatus.TACITLY_ACCEPTED})
