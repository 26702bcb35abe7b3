"""Funding lines per step of the path (docs/rules.md rule 17): evaluation and training tracked apart."""

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


# Rule 16, in the words both the employer and the candidate read.
PAID_WORK_TIME = "Temps de travail : rémunération maintenue par l'employeur"


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
    # Rule 16: the hours of CPF training on work time an accepted absence request gives, the employer
    # maintaining pay. Only on that line (amount 0: the pay is the employer's, not a training cost).
    paid_work_hours = models.PositiveIntegerField(
        "heures sur le temps de travail, rémunération maintenue", null=True, blank=True
    )
    # Set when an employer's staff recorded the line (rule 17): only that employer's staff may change it.
    recorded_by_employer = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="enregistré par l'employeur",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # None: written by the platform itself (the tacit acceptance of an absence request).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "ligne de financement"
        ordering = ["step", "pk"]
        indexes = [models.Index(fields=["dossier", "step"])]

    def __str__(self) -> str:
        if self.pays_work_time:
            return f"{self.get_step_display()} — {self.get_scheme_display()} : {self.work_time_note}"
        return f"{self.get_step_display()} — {self.get_scheme_display()} {self.amount} €"

    @property
    def pays_work_time(self) -> bool:
        return self.paid_work_hours is not None

    @property
    def work_time_note(self) -> str:
        """Plain French for the screens and the export ("" on a line that is not paid work time)."""
        return f"{self.paid_work_hours} h — {PAID_WORK_TIME}" if self.pays_work_time else ""


class FeeKind(models.TextChoices):
    INITIAL_ASSESSMENT = "initial_assessment", "Évaluation préalable"
    CERTIFICATE = "certificate", "Certificat délivré"
    APPLICATION = "application", "Candidature à l'habilitation"
    ESTABLISHMENT = "establishment", "Établissement habilité"


class FeeEntry(models.Model):
    """One line of an evaluator organisation's fee ledger; never edited (a credit is a new line)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="fees")
    certification = models.ForeignKey("referentiel.Certification", on_delete=models.PROTECT, related_name="+")
    # None on the fees of a habilitation campaign (an application, an establishment), owed per organisation.
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, null=True, blank=True, related_name="fees")
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
