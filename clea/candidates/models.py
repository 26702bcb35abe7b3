"""The candidate's own account: invitations sent by the evaluator organisation."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models

from clea.dossiers.models import Candidate
from clea.lib.models import PublicIdModel


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CandidateAccount(models.Model):
    """Links a login to the person; the person then sees their own dossiers and nothing else."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="candidate_account")
    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="account")
    activated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "compte candidat"

    def __str__(self) -> str:
        return f"Espace de {self.candidate}"


class Invitation(PublicIdModel):
    """Only the hash of the link's token is stored: a database leak gives no usable link."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "invitation"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation de {self.candidate}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)


class IdentityCheck(models.Model):
    """FranceConnect's identity compared with the dossier when the candidate linked it.

    Only the names of the fields are kept (which differ, which were blank and filled), never the provider's
    values: the evaluator checks an identity document when something differs."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="identity_checks")
    checked_at = models.DateTimeField("le", auto_now_add=True)
    differences = models.JSONField("écarts", default=list)
    filled = models.JSONField("complétés", default=list)

    class Meta:
        verbose_name = "vérification d'identité FranceConnect"
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        return f"Vérification du {self.checked_at:%d/%m/%Y}"

    @property
    def difference_labels(self) -> str:
        return ", ".join(
            str(getattr(Candidate._meta.get_field(name), "verbose_name", name)) for name in self.differences
        )
