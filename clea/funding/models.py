"""Funding lines per step of the path (RULES.md rule 17): evaluation and training tracked apart."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from clea.dossiers.models import Dossier
from clea.lib.models import PublicIdModel


class FundingStep(models.TextChoices):
    EVALUATION = "evaluation", "Évaluation préalable"
    TRAINING = "training", "Formation"
    FINAL_EVALUATION = "final_evaluation", "Évaluation finale"


class FundingScheme(models.TextChoices):
    CPF = "cpf", "CPF (Compte personnel de formation)"
    PROFESSIONALISATION = "professionalisation", "Contrat de professionnalisation"
    PRO_A = "pro_a", "Pro-A"
    POE = "poe", "POE (préparation opérationnelle à l'emploi)"
    SKILLS_PLAN = "skills_plan", "Plan de développement des compétences"
    EMPLOYER_TOP_UP = "employer_top_up", "Abondement de l'employeur"
    OTHER = "other", "Autre financement"


class FundingState(models.TextChoices):
    PLANNED = "planned", "Prévu"
    AGREED = "agreed", "Accordé"
    PAID = "paid", "Versé"
    REFUSED = "refused", "Refusé"


class FundingLine(PublicIdModel):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="funding_lines")
    step = models.CharField("étape", max_length=20, choices=FundingStep.choices)
    scheme = models.CharField("dispositif", max_length=30, choices=FundingScheme.choices)
    funder = models.CharField("financeur", max_length=255)
    amount = models.DecimalField("montant (€)", max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    state = models.CharField("état", max_length=10, choices=FundingState.choices, default=FundingState.PLANNED)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "ligne de financement"
        ordering = ["step", "pk"]
        indexes = [models.Index(fields=["dossier", "step"])]

    def __str__(self) -> str:
        return f"{self.get_step_display()} — {self.get_scheme_display()} {self.amount} €"


class FeeKind(models.TextChoices):
    INITIAL_ASSESSMENT = "initial_assessment", "Évaluation préalable"
    CERTIFICATE = "certificate", "Certificat délivré"


class FeeEntry(models.Model):
    """One line of an evaluator organisation's fee ledger; never edited (a credit is a new line)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="fees")
    certification = models.ForeignKey("referentiel.Certification", on_delete=models.PROTECT, related_name="+")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="fees")
    kind = models.CharField("objet", max_length=20, choices=FeeKind.choices)
    amount_cents = models.IntegerField("montant HT (centimes)")
    occurred_at = models.DateTimeField("date de l'événement")
    source = models.CharField(max_length=100, unique=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "redevance"
        ordering = ["occurred_at", "pk"]
        indexes = [models.Index(fields=["organisation", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_cents / 100:.2f} € HT"


class AbsenceStatus(models.TextChoices):
    PENDING = "pending", "En attente de réponse"
    ACCEPTED = "accepted", "Acceptée"
    REFUSED = "refused", "Refusée"
    OTHER_DATES = "other_dates", "Acceptée à d'autres dates"
    TACITLY_ACCEPTED = "tacitly_accepted", "Acceptée sans réponse (30 jours)"


class AbsenceRequest(PublicIdModel):
    """An employee's request to follow CPF training on work time (RULES.md rule 16)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="absence_requests")
    employer = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="absence_requests"
    )
    requested_on = models.DateField("demande reçue le")
    start_date = models.DateField("début de la formation")
    end_date = models.DateField("fin de la formation")
    hours = models.PositiveIntegerField("heures sur le temps de travail")
    # Computed from the law when the request is recorded (clea.funding.absence_rules).
    latest_request_date = models.DateField("date limite de la demande")
    answer_due = models.DateField("réponse attendue au plus tard le", db_index=True)
    request_late = models.BooleanField("demande hors délai", default=False)
    status = models.CharField("état", max_length=20, choices=AbsenceStatus.choices, default=AbsenceStatus.PENDING)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refusal_reason = models.TextField("motif du refus", blank=True)
    other_start_date = models.DateField("autres dates : début", null=True, blank=True)
    other_end_date = models.DateField("autres dates : fin", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "demande d'autorisation d'absence"
        ordering = ["-requested_on", "-pk"]
        indexes = [models.Index(fields=["employer", "status"]), models.Index(fields=["status", "answer_due"])]

    def __str__(self) -> str:
        return f"Absence du {self.start_date:%d/%m/%Y} au {self.end_date:%d/%m/%Y} — {self.get_status_display()}"
