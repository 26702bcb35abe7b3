"""Évaluations préalable and finale: sittings and the judgement of each criterion (append-only)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum

from clea.dossiers.models import Dossier
from clea.lib import limits
from clea.lib.models import PublicIdModel
from clea.referentiel.models import Criterion, ReferentielVersion
from clea.referentiel.scoring import Judgement

JUDGEMENT_CHOICES = [
    (Judgement.ACQUIRED.value, "Acquis"),
    (Judgement.NOT_ACQUIRED.value, "Non acquis"),
    (Judgement.NOT_ASSESSED.value, "Non évalué"),
]


class EvaluationKind(models.TextChoices):
    INITIAL = "initial", "Évaluation préalable"
    FINAL = "final", "Évaluation finale"


class EvaluationQuerySet(models.QuerySet["Evaluation"]):
    def visible_to(self, user) -> EvaluationQuerySet:
        """Evaluations of the dossiers the user sees (anyone else gets 404)."""
        return self.filter(dossier__in=Dossier.objects.visible_to(user).values("pk"))


class Evaluation(PublicIdModel):
    objects = EvaluationQuerySet.as_manager()

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="evaluations")
    kind = models.CharField("type", max_length=10, choices=EvaluationKind.choices)
    referentiel_version = models.ForeignKey(ReferentielVersion, on_delete=models.PROTECT, related_name="+")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="évaluateur"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField("clôturée le", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Criteria this evaluation judges: all of them for a préalable, the missing ones for a finale.
    scope = models.ManyToManyField(Criterion, related_name="+", blank=True)

    class Meta:
        verbose_name = "évaluation"
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(closed_at__isnull=True), name="one_open_evaluation_per_dossier"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.dossier.candidate}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def max_minutes(self) -> int:
        profile = self.referentiel_version.profile
        if self.kind == EvaluationKind.INITIAL:
            return profile.max_initial_assessment_minutes
        return profile.max_final_assessment_minutes

    def total_minutes(self) -> int:
        return self.sittings.aggregate(total=Sum("duration_minutes"))["total"] or 0


class Sitting(PublicIdModel):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="sittings")
    date = models.DateField("date")
    start = models.TimeField("début")
    end = models.TimeField("fin")
    duration_minutes = models.PositiveIntegerField(editable=False)
    place = models.CharField("lieu", max_length=255)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "séance"
        ordering = ["date", "start"]
        constraints = [models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="sitting_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.start:%H:%M}–{self.end:%H:%M}"

    @staticmethod
    def minutes_between(start: datetime.time, end: datetime.time) -> int:
        return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


class CriterionJudgement(models.Model):
    """One judgement of one criterion in one evaluation. Never updated: a change is a new row.

    The latest row per (evaluation, criterion) is the current one; its id is the revision that a grid
    save must name, so that two evaluators never overwrite each other silently.
    """

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="judgements")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    judgement = models.CharField(
        max_length=20,
        choices=JUDGEMENT_CHOICES,
    )
    comment = models.TextField("commentaire", blank=True, max_length=limits.COMMENT)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Set on judgements recorded after the evaluation was closed.
    correction_reason = models.TextField("motif de la correction", blank=True, max_length=limits.REASON)

    class Meta:
        verbose_name = "résultat d'un critère"
        ordering = ["pk"]
        indexes = [models.Index(fields=["evaluation", "criterion", "-id"])]

    def __str__(self) -> str:
        return f"{self.criterion.code} : {self.get_judgement_display()}"
