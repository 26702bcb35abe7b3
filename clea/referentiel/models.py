"""Certifications and their versioned référentiels (docs/rules.md rules 1–4), with a rule profile each."""

from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Max, Prefetch, Q

from clea.accounts.memberships import is_certifier
from clea.lib.models import PublicIdModel
from clea.referentiel.structure import (
    CriterionSpec,
    DomainSpec,
    ProfileSpec,
    ReferentielSpec,
    SubdomainSpec,
)

PERCENT_VALIDATORS = [MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))]


class ImmutableVersionError(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            "Cette version du référentiel n'est plus un brouillon : elle ne peut plus être modifiée. "
            "Importez ou créez une nouvelle version.",
            code="immutable_version",
        )


class Certification(models.Model):
    """A certification is data: CléA, CléA numérique, later CléA Management (docs/rules.md rule 3)."""

    code = models.SlugField("code", max_length=40, unique=True, allow_unicode=False)
    name = models.CharField("nom", max_length=100)
    full_name = models.CharField("intitulé complet", max_length=255, blank=True)
    certifier_name = models.CharField("certificateur", max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "certification"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    ACTIVE = "active", "En vigueur"
    ARCHIVED = "archived", "Archivée"


class ReferentielVersionQuerySet(models.QuerySet["ReferentielVersion"]):
    def visible_to(self, user) -> "ReferentielVersionQuerySet":
        """Drafts are the certifier's work in progress; in force and archived versions are public."""
        if is_certifier(user):
            return self
        return self.exclude(status=VersionStatus.DRAFT)

    def with_structure(self) -> "ReferentielVersionQuerySet":
        return self.select_related("certification", "profile").prefetch_related(
            Prefetch("domains", queryset=Domain.objects.order_by("position")),
            Prefetch("domains__subdomains", queryset=Subdomain.objects.order_by("position")),
            Prefetch("domains__subdomains__criteria", queryset=Criterion.objects.order_by("position")),
        )


class ReferentielVersion(PublicIdModel):
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("numéro")
    label = models.CharField("libellé", max_length=255)
    status = models.CharField("statut", max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    provisional = models.BooleanField(
        "provisoire",
        default=False,
        help_text="Version publiée faute de référentiel détaillé public (docs/rules.md règle 2).",
    )
    source = models.TextField("source", blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    activated_at = models.DateTimeField("mise en vigueur le", null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    archived_at = models.DateTimeField("archivée le", null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ReferentielVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "version de référentiel"
        verbose_name_plural = "versions de référentiel"
        ordering = ["certification__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["certification", "number"], name="unique_version_number"),
            models.UniqueConstraint(
                fields=["certification"],
                condition=Q(status="active"),
                name="one_active_version_per_certification",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.certification.name} — version {self.number} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @classmethod
    def next_number(cls, certification: Certification) -> int:
        current = cls.objects.filter(certification=certification).aggregate(n=Max("number"))["n"]
        return (current or 0) + 1

    def to_spec(self) -> ReferentielSpec:
        """The pure structure; use a queryset ``with_structure()`` to read it in four queries."""
        profile = self.profile
        return ReferentielSpec(
            certification_code=self.certification.code,
            certification_name=self.certification.name,
            label=self.label,
            version_number=self.number,
            provisional=self.provisional,
            source=self.source,
            profile=profile.to_spec(),
            domains=tuple(
                DomainSpec(
                    code=d.code,
                    title=d.title,
                    subdomains=tuple(
                        SubdomainSpec(
                            code=s.code,
                            title=s.title,
                            threshold_percent=Fraction(s.threshold_percent),
                            criteria=tuple(
                                CriterionSpec(
                                    code=c.code,
                                    title=c.title,
                                    indicator=c.indicator,
                                    weight=c.weight,
                                    mandatory=c.mandatory,
                                )
                                for c in s.criteria.all()
                            ),
                        )
                        for s in d.subdomains.all()
                    ),
                )
                for d in self.domains.all()
            ),
        )


class DraftOnlyModel(models.Model):
    """Rows of a référentiel version can change only while the version is a draft."""

    version_id: int  # the concrete models' foreign key to their version

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._version_is_draft():
            raise ImmutableVersionError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not self._version_is_draft():
            raise ImmutableVersionError()
        return super().delete(*args, **kwargs)

    def _version_is_draft(self) -> bool:
        return ReferentielVersion.objects.filter(pk=self.version_id, status=VersionStatus.DRAFT).exists()


class RuleProfile(DraftOnlyModel):
    """The numbers of docs/rules.md rules 6 and 11–19 for one version; each default says its source."""

    version = models.OneToOneField(ReferentielVersion, on_delete=models.CASCADE, related_name="profile")
    overall_threshold_percent = models.DecimalField(
        "seuil global (% des points)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("75"),
        validators=PERCENT_VALIDATORS,
        help_text="75 % des points : règle de la mission (docs/rules.md règle 6).",
    )
    max_initial_assessment_minutes = models.PositiveIntegerField(
        "durée maximale de l'évaluation préalable (minutes)",
        default=420,
        help_text="7 heures au plus : règle de la mission (docs/rules.md règle 11).",
    )
    max_final_assessment_minutes = models.PositiveIntegerField(
        "durée maximale de l'évaluation finale (minutes)",
        default=180,
        help_text="3 heures au plus : règle de la mission (docs/rules.md règle 13).",
    )
    path_validity_years = models.PositiveSmallIntegerField(
        "durée du parcours (années)",
        default=5,
        help_text="5 ans après l'évaluation préalable : mission et sources secondaires (règle 12).",
    )
    jury_min_members_per_college = models.PositiveSmallIntegerField(
        "quorum : membres présents par collège",
        default=1,
        help_text="Valeur supposée faute de source publique (docs/rules.md règle 14).",
    )
    fee_initial_assessment_cents = models.PositiveIntegerField(
        "redevance par évaluation préalable (centimes HT)",
        default=2000,
        help_text="20 € HT pour CléA, source secondaire (docs/rules.md règle 19).",
    )
    fee_certificate_cents = models.PositiveIntegerField(
        "redevance par certificat (centimes HT)",
        default=500,
        help_text="5 € HT pour CléA, 10 € HT pour CléA numérique, source secondaire (règle 19).",
    )

    class Meta:
        verbose_name = "profil de règles"
        verbose_name_plural = "profils de règles"

    def __str__(self) -> str:
        return f"Profil de règles — {self.version}"

    @staticmethod
    def _euros(cents: int) -> str:
        return f"{cents // 100},{cents % 100:02d} € HT"

    @property
    def fee_initial_assessment_display(self) -> str:
        return self._euros(self.fee_initial_assessment_cents)

    @property
    def fee_certificate_display(self) -> str:
        return self._euros(self.fee_certificate_cents)

    def to_spec(self) -> ProfileSpec:
        return ProfileSpec(
            overall_threshold_percent=Fraction(self.overall_threshold_percent),
            max_initial_assessment_minutes=self.max_initial_assessment_minutes,
            max_final_assessment_minutes=self.max_final_assessment_minutes,
            path_validity_years=self.path_validity_years,
            jury_min_members_per_college=self.jury_min_members_per_college,
            fee_initial_assessment_cents=self.fee_initial_assessment_cents,
            fee_certificate_cents=self.fee_certificate_cents,
        )


class Domain(DraftOnlyModel):
    version = models.ForeignKey(ReferentielVersion, on_delete=models.CASCADE, related_name="domains")
    code = models.CharField("code", max_length=20)
    title = models.CharField("intitulé", max_length=255)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "domaine"
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_domain_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class Subdomain(DraftOnlyModel):
    version = models.ForeignKey(ReferentielVersion, on_delete=models.CASCADE, related_name="subdomains")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="subdomains")
    code = models.CharField("code", max_length=20)
    title = models.CharField("intitulé", max_length=255)
    position = models.PositiveSmallIntegerField(default=0)
    threshold_percent = models.DecimalField(
        "seuil (% des points)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("75"),
        validators=PERCENT_VALIDATORS,
        help_text="75 % par défaut ; certains sous-domaines ont un seuil propre depuis 2018 (règle 6).",
    )

    class Meta:
        verbose_name = "sous-domaine"
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_subdomain_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Criterion(DraftOnlyModel):
    version = models.ForeignKey(ReferentielVersion, on_delete=models.CASCADE, related_name="criteria")
    subdomain = models.ForeignKey(Subdomain, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField("code", max_length=20)
    title = models.TextField("intitulé")
    indicator = models.TextField("indicateur observable", blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    weight = models.PositiveSmallIntegerField("points", default=1, validators=[MinValueValidator(1)])
    mandatory = models.BooleanField("obligatoire", default=False)

    class Meta:
        verbose_name = "critère"
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_criterion_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
