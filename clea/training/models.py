"""Individualised training paths proposed by the evaluator organisation (docs/rules.md rule 12)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from clea.dossiers.models import Dossier
from clea.lib import limits
from clea.lib.models import PublicIdModel
from clea.organisations.models import Organisation
from clea.referentiel.models import Criterion


class TrainingPathQuerySet(models.QuerySet["TrainingPath"]):
    def visible_to(self, user) -> TrainingPathQuerySet:
        """Training paths of the dossiers the user sees (the training organisation sees its own dossiers)."""
        return self.filter(dossier__in=Dossier.objects.visible_to(user).values("pk"))


class TrainingPath(PublicIdModel):
    objects = TrainingPathQuerySet.as_manager()

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="training_paths")
    training_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="training_paths",
        verbose_name="organisme de formation",
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="formateur"
    )
    planned_hours = models.PositiveIntegerField(
        "durée prévue (heures)", validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    start_date = models.DateField("début")
    end_date = models.DateField("fin")
    targets = models.ManyToManyField(Criterion, related_name="+", verbose_name="critères visés")
    proposed_at = models.DateTimeField(auto_now_add=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "parcours de formation"
        ordering = ["proposed_at", "pk"]
        indexes = [models.Index(fields=["training_organisation"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="path_dates_ordered")
        ]

    def __str__(self) -> str:
        return f"Parcours {self.planned_hours} h — {self.training_organisation}"


class ProgressNote(PublicIdModel):
    path = models.ForeignKey(TrainingPath, on_delete=models.CASCADE, related_name="progress_notes")
    date = models.DateField("date")
    hours_done = models.PositiveIntegerField("heures réalisées depuis la dernière note", default=0)
    note = models.TextField("avancement", max_length=limits.NOTE)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "note d'avancement"
        ordering = ["date", "pk"]
