"""What the certifier's quality control records."""

from __future__ import annotations

from django.db import models

from clea.organisations.models import Habilitation


class HabilitationReminder(models.Model):
    """A reminder that a habilitation ends, recorded with its e-mails in one transaction: a second daily
    run, or an overlapping one, finds it and sends nothing."""

    habilitation = models.ForeignKey(Habilitation, on_delete=models.CASCADE, related_name="end_reminders")
    valid_until = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_on = models.DateField()

    class Meta:
        verbose_name = "rappel de fin d'habilitation"
        constraints = [
            models.UniqueConstraint(
                fields=["habilitation", "valid_until", "days_before"], name="one_habilitation_reminder_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.habilitation_id} — {self.days_before} jours"
