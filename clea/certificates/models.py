"""Certificates and their national numbers, postal mailings, and the reporting to the CPF system."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from clea.accounts.memberships import is_certifier
from clea.certificates import codes
from clea.dossiers.deadlines import months_before
from clea.dossiers.models import Dossier
from clea.jury.models import Decision, JurySession
from clea.lib import limits
from clea.lib.models import PublicIdModel
from clea.lib.plurals import ngettext
from clea.referentiel.models import Certification

# docs/rules.md rule 18: each holder is reported within 3 months [LAW]; configurable.
CPF_REPORTING_MONTHS_DEFAULT = 3


def cpf_reporting_months() -> int:
    return getattr(settings, "CPF_REPORTING_MONTHS", CPF_REPORTING_MONTHS_DEFAULT)


class CertificateCounter(models.Model):
    """The last sequence given for one certification and year. Its row is locked (``SELECT … FOR
    UPDATE``) by the transaction that creates a certificate: numbers are taken one at a time and a
    rolled-back issuance gives its number back, so the sequence has no gap."""

    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("année")
    last_sequence = models.PositiveIntegerField("dernier numéro d'ordre", default=0)

    class Meta:
        verbose_name = "compteur de certificats"
        verbose_name_plural = "compteurs de certificats"
        constraints = [
            models.UniqueConstraint(fields=["certification", "year"], name="one_counter_per_certification_year")
        ]

    def __str__(self) -> str:
        return f"{self.certification} {self.year} : {self.last_sequence}"


class CertificateQuerySet(models.QuerySet["Certificate"]):
    def visible_to(self, user) -> CertificateQuerySet:
        """Certificates are managed by the certifier's staff only; anyone else sees none (404)."""
        if not getattr(user, "is_authenticated", False) or not is_certifier(user):
            return self.none()
        return self

    def valid(self) -> CertificateQuerySet:
        return self.filter(revoked_at__isnull=True)

    def revoked(self) -> CertificateQuerySet:
        return self.filter(revoked_at__isnull=False)

    def awaiting_original_mailing(self) -> CertificateQuerySet:
        originals = Mailing.objects.filter(certificate=OuterRef("pk"), kind=MailingKind.ORIGINAL)
        return self.valid().filter(~Exists(originals))

    def cpf_to_report(self) -> CertificateQuerySet:
        """Valid certificates without a pending or accepted CPF record (rejected ones go again)."""
        reported = CpfRecord.objects.filter(
            certificate=OuterRef("pk"), status__in=[CpfRecordStatus.SENT, CpfRecordStatus.ACCEPTED]
        )
        return self.valid().filter(~Exists(reported))

    def cpf_overdue(self, today: datetime.date, months: int | None = None) -> CertificateQuerySet:
        """Valid awards older than the reporting delay that the CPF system has not accepted yet."""
        limit = months_before(today, cpf_reporting_months() if months is None else months)
        accepted = CpfRecord.objects.filter(certificate=OuterRef("pk"), status=CpfRecordStatus.ACCEPTED)
        return self.valid().filter(awarded_on__lt=limit).filter(~Exists(accepted))


class Certificate(PublicIdModel):
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="certificate")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="certificates")
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("année")
    sequence = models.PositiveIntegerField("numéro d'ordre")
    number = models.CharField("numéro", max_length=40, unique=True)
    verification_code = models.CharField("code de vérification", max_length=32, unique=True, editable=False)
    # The holder as the certificate names them, frozen at issuance (docs/rules.md rule 18 reports it).
    holder_birth_name = models.CharField("nom de naissance", max_length=150)
    holder_usage_name = models.CharField("nom d'usage", max_length=150, blank=True)
    holder_first_names = models.CharField("prénoms", max_length=200)
    holder_birth_date = models.DateField("date de naissance")
    holder_sex = models.CharField("sexe", max_length=1)
    holder_birth_commune_code = models.CharField("commune de naissance (code INSEE)", max_length=5, blank=True)
    holder_birth_place = models.CharField("lieu de naissance", max_length=150, blank=True)
    holder_birth_country = models.CharField("pays de naissance", max_length=100, blank=True)
    holder_birth_country_code = models.CharField("pays de naissance (code INSEE)", max_length=5, blank=True)
    awarded_on = models.DateField("délivré le")
    jury_session = models.ForeignKey(JurySession, on_delete=models.PROTECT, related_name="certificates")
    issued_at = models.DateTimeField("émis le")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField("retiré le", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.TextField("motif du retrait", blank=True, max_length=limits.REASON)
    # Stable technical id of the award in the CPF reporting (docs/rules.md rule 18): never changes.
    cpf_technical_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = "certificat"
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["certification", "year", "sequence"], name="unique_certificate_sequence"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revocation_reason="")
                | Q(revoked_at__isnull=False) & ~Q(revocation_reason=""),
                name="revocation_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["-issued_at", "-id"]),
            models.Index(fields=["certification", "year"]),
            models.Index(fields=["awarded_on"]),
            models.Index(fields=["revoked_at"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def holder_last_name(self) -> str:
        return self.holder_usage_name or self.holder_birth_name

    @property
    def holder_name(self) -> str:
        return f"{self.holder_first_names} {self.holder_last_name.upper()}"

    @property
    def verification_code_display(self) -> str:
        return codes.display(self.verification_code)

    @property
    def verification_url(self) -> str:
        from django.urls import reverse

        return settings.SITE_URL.rstrip("/") + reverse("verification:result", args=[self.verification_code])


class MailingKind(models.TextChoices):
    ORIGINAL = "original", "Original"
    DUPLICATE = "duplicate", "Duplicata"


class MailingStatus(models.TextChoices):
    TO_PRINT = "to_print", "À imprimer"
    SENT = "sent", "Envoyé"
    RETURNED = "returned", "Revenu à l'expéditeur"
    RESENT = "resent", "Renvoyé"


# Which status each action may start from (the services refuse anything else with a 409).
MAILING_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "mark_sent": (frozenset({MailingStatus.TO_PRINT}), MailingStatus.SENT),
    "mark_returned": (frozenset({MailingStatus.SENT, MailingStatus.RESENT}), MailingStatus.RETURNED),
    "resend": (frozenset({MailingStatus.RETURNED}), MailingStatus.RESENT),
}


class MailingBatch(PublicIdModel):
    """One print run: a single PDF with, per holder sorted by postcode, the cover letter and the certificate."""

    created_at = models.DateTimeField("créé le", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pdf = models.BinaryField("PDF à imprimer", editable=False)
    pdf_sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField("nombre de courriers")

    class Meta:
        verbose_name = "lot d'envoi"
        verbose_name_plural = "lots d'envoi"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        letters = ngettext("%(n)d courrier", "%(n)d courriers", self.size) % {"n": self.size}
        return f"Lot du {self.created_at:%d/%m/%Y %H:%M} ({letters})"


class Mailing(PublicIdModel):
    batch = models.ForeignKey(MailingBatch, on_delete=models.PROTECT, related_name="mailings")
    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="mailings")
    kind = models.CharField("nature", max_length=10, choices=MailingKind.choices)
    position = models.PositiveIntegerField("rang dans le lot")
    status = models.CharField("statut", max_length=10, choices=MailingStatus.choices, default=MailingStatus.TO_PRINT)
    # The address as printed (lines of the window block), so the record says where it went.
    address_lines = models.JSONField("adresse")
    postcode = models.CharField("code postal", max_length=5, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    returned_at = models.DateTimeField("revenu le", null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    return_reason = models.CharField("motif du retour", max_length=255, blank=True)
    resent_at = models.DateTimeField("renvoyé le", null=True, blank=True)
    resent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    # Every status change in order ({at, by, status, reason}): a second return keeps the first.
    history = models.JSONField("historique", default=list)

    class Meta:
        verbose_name = "courrier"
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate"], condition=Q(kind="original"), name="one_original_mailing_per_certificate"
            ),
            models.UniqueConstraint(fields=["batch", "position"], name="unique_position_in_batch"),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.certificate.number} — {self.get_status_display()}"

    @property
    def is_duplicate(self) -> bool:
        return self.kind == MailingKind.DUPLICATE


class CpfExport(PublicIdModel):
    """One XML file for the CPF system (docs/rules.md rule 18); ``public_id`` is its ``idFlux``."""

    created_at = models.DateTimeField("créé le", auto_now_add=True)
    # Empty when written by the ``export_cpf`` command.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    content = models.TextField("fichier XML", editable=False)
    sha256 = models.CharField(max_length=64)
    record_count = models.PositiveIntegerField("nombre de certificats")
    ack_content = models.TextField("accusé de traitement", blank=True, editable=False)
    ack_imported_at = models.DateTimeField("accusé importé le", null=True, blank=True)
    ack_imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "déclaration CPF"
        verbose_name_plural = "déclarations CPF"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Déclaration CPF du {self.created_at:%d/%m/%Y %H:%M} ({self.record_count})"

    @property
    def filename(self) -> str:
        return f"cpf-{self.created_at:%Y%m%d-%H%M%S}-{str(self.public_id)[:8]}.xml"


class CpfRecordStatus(models.TextChoices):
    SENT = "sent", "Envoyé, accusé attendu"
    ACCEPTED = "accepted", "Accepté"
    REJECTED = "rejected", "Rejeté"


class CpfRecord(models.Model):
    """A certificate in one export; at most one pending or accepted record per certificate."""

    export = models.ForeignKey(CpfExport, on_delete=models.PROTECT, related_name="records")
    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="cpf_records")
    status = models.CharField("statut", max_length=10, choices=CpfRecordStatus.choices, default=CpfRecordStatus.SENT)
    rejection_reason = models.TextField("motif du rejet", blank=True)
    processed_at = models.DateTimeField("traité le", null=True, blank=True)

    class Meta:
        verbose_name = "certificat déclaré"
        verbose_name_plural = "certificats déclarés"
        ordering = ["export", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["export", "certificate"], name="certificate_once_per_export"),
            models.UniqueConstraint(
                fields=["certificate"],
                condition=Q(status__in=["sent", "accepted"]),
                name="never_reported_twice_unless_rejected",
            ),
        ]
        indexes = [models.Index(fields=["certificate", "status"])]

    def __str__(self) -> str:
        return f"{self.certificate.number} — {self.get_status_display()}"


class DepositorNature(models.TextChoices):
    CERTIFIER = "CERTIFICATEUR", "Le certificateur dépose lui-même"
    TRUSTED_THIRD_PARTY = "TIERS_CONFIANCE", "Un tiers de confiance dépose pour lui"


class CpfSettings(models.Model):
    """The certifier's identifiers at the Caisse des Dépôts, entered in its screens (one row)."""

    sender_client_id = models.CharField("identifiant client de l'émetteur (idClient)", max_length=8, blank=True)
    certifier_client_id = models.CharField("identifiant client du certificateur (idClient)", max_length=8, blank=True)
    contract_id = models.CharField("numéro de contrat du certificateur (idContrat)", max_length=20, blank=True)
    depositor_nature = models.CharField(
        "nature du déposant", max_length=20, choices=DepositorNature.choices, default=DepositorNature.CERTIFIER
    )
    updated_at = models.DateTimeField("modifié le", null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "paramètres CPF"
        verbose_name_plural = "paramètres CPF"

    def __str__(self) -> str:
        return f"Paramètres CPF ({self.certifier_client_id or 'à renseigner'})"

    @classmethod
    def current(cls) -> CpfSettings:
        return cls.objects.order_by("pk").first() or cls()


class RegistryType(models.TextChoices):
    RS = "RS", "Répertoire spécifique (RS)"
    RNCP = "RNCP", "Répertoire national des certifications professionnelles (RNCP)"


class CpfCertificationCode(models.Model):
    """Where a certification is registered (CléA and CléA numérique: RS), as the CPF system knows it."""

    certification = models.OneToOneField(Certification, on_delete=models.PROTECT, related_name="+")
    registry_type = models.CharField("répertoire", max_length=4, choices=RegistryType.choices, default=RegistryType.RS)
    registry_code = models.CharField("code au répertoire", max_length=100)

    class Meta:
        verbose_name = "code de certification au répertoire"
        verbose_name_plural = "codes de certification au répertoire"

    def __str__(self) -> str:
        return f"{self.certification} : {self.registry_type} {self.registry_code}"
