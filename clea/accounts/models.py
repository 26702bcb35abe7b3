"""People who log in; they log in with their e-mail address."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models

from clea.lib.models import PublicIdModel


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(PublicIdModel, AbstractUser):
    username = None  # type: ignore[assignment]  # the e-mail address is the login
    email = models.EmailField("adresse e-mail", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)


class SecondFactorReset(models.Model):
    """A lost device: another administrator removed the person's second factor (who, when, why)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="second_factor_resets")
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("le", auto_now_add=True)
    reason = models.CharField("motif", max_length=500)

    class Meta:
        verbose_name = "réinitialisation de la double authentification"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"Réinitialisation du {self.at:%d/%m/%Y}"


class UserSession(models.Model):
    """A browser where the person is logged in: listed in « Mon compte » so they can end the others.

    Only what tells one browser from another is kept (the start of its user agent), never an address."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="browser_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField("ouverte le", auto_now_add=True)
    last_seen_at = models.DateTimeField("dernière activité")
    browser = models.CharField("navigateur", max_length=200, blank=True)

    class Meta:
        verbose_name = "session ouverte"
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"Session du {self.created_at:%d/%m/%Y}"


class IdentityProvider(models.TextChoices):
    PROCONNECT = "proconnect", "ProConnect"
    FRANCECONNECT = "franceconnect", "FranceConnect"


class ExternalIdentity(models.Model):
    """An account linked to a ProConnect or FranceConnect identity (its stable subject, nothing else).

    Linking happens on a verified e-mail of an existing account or through an invitation: an identity
    provider never creates an account, let alone a role."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    provider = models.CharField("fournisseur", max_length=20, choices=IdentityProvider.choices)
    subject = models.CharField(max_length=255)
    linked_at = models.DateTimeField("liée le", auto_now_add=True)
    last_used_at = models.DateTimeField("dernière connexion", null=True, blank=True)

    class Meta:
        verbose_name = "identité liée"
        verbose_name_plural = "identités liées"
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="external_identity_subject_unique"),
            models.UniqueConstraint(fields=["user", "provider"], name="external_identity_one_per_provider"),
        ]

    def __str__(self) -> str:
        return f"Identité {self.get_provider_display()}"
