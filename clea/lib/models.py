"""Abstract model pieces shared by the apps."""

import uuid

from django.db import models


class PublicIdModel(models.Model):
    """Objects exposed in URLs and the API carry a random UUID; integer keys stay internal."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class TimestampedModel(models.Model):
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        abstract = True


class WorkerHeartbeat(models.Model):
    """A task worker says it is alive every few seconds; a task held by a silent worker is picked up again."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    started_at = models.DateTimeField(auto_now_add=True)
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "signal de vie d'un worker"

    def __str__(self) -> str:
        return self.worker_id


class DailyRun(models.Model):
    """One row per day on which the scheduler enqueued the daily tasks: several schedulers, one run."""

    day = models.DateField(unique=True)
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "passage quotidien"
        ordering = ["-day"]

    def __str__(self) -> str:
        return self.day.isoformat()
