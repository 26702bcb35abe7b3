"""E-mail notifications: what each person wants, and the daily digests of organisations that chose one."""

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    REFERRAL_RECEIVED = "referral_received", "Orientation reçue"
    REFERRAL_ANSWERED = "referral_answered", "Réponse à une orientation"
    DOSSIER_OPENED = "dossier_opened", "Dossier ouvert"
    RESULTS_AVAILABLE = "results_available", "Résultats disponibles"
    TRAINING_PROPOSED = "training_proposed", "Parcours de formation proposé"
    DEADLINE_REMINDER = "deadline_reminder", "Rappel de la limite des 5 ans"
    ABSENCE_RECEIVED = "absence_received", "Demande d'absence reçue"
    ABSENCE_ANSWERED = "absence_answered", "Réponse à une demande d'absence"
    JURY_DECISION = "jury_decision", "Décision du jury"
    CERTIFICATE_SENT = "certificate_sent", "Certificat envoyé"
    HABILITATION_ENDING = "habilitation_ending", "Fin prochaine d'une habilitation"
    HABILITATION_APPLICATION = "habilitation_application", "Suivi d'une candidature à l'habilitation"
    QUALITY_AUDIT = "quality_audit", "Audit qualité"


class Preference(models.Model):
    """A row exists only for a kind the person turned off (everything is on by default)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_opt_outs")
    kind = models.CharField(max_length=30, choices=Kind.choices)

    class Meta:
        verbose_name = "notification désactivée"
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out_per_kind")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()}"


class DigestSetting(models.Model):
    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="notification_digest"
    )
    daily_digest = models.BooleanField("un seul e-mail par jour (résumé)", default=False)

    class Meta:
        verbose_name = "résumé quotidien"

    def __str__(self) -> str:
        return f"{self.organisation} — {'résumé' if self.daily_digest else 'immédiat'}"


class DigestItem(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "élément de résumé"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.subject


class Sent(models.Model):
    """One row per notification and recipient, written in the same transaction as the sending: a retried
    or overlapping delivery finds it and sends nothing twice. ``recipient`` is ``user:<id>`` or a hash."""

    key = models.CharField(max_length=64)
    recipient = models.CharField(max_length=80)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "notification envoyée"
        constraints = [models.UniqueConstraint(fields=["key", "recipient"], name="one_sending_per_recipient")]

    def __str__(self) -> str:
        return self.key
