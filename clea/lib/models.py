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
