"""Organisations around a candidate, their habilitations and the people who act for them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q

from clea.accounts.memberships import is_certifier
from clea.geography.models import Commune, Postcode, Region
from clea.lib import limits
from clea.lib.models import PublicIdModel, TimestampedModel
from clea.lib.roles import OrganisationKind, Role
from clea.lib.siret import normalise_siret
from clea.lib.validators import validate_siret
from clea.referentiel.models import Certification


class PrescriberType(models.TextChoices):
    """Who may orient a person towards CléA (docs/rules.md rule 8)."""

    CEP = "cep", "Conseil en évolution professionnelle (CEP)"
    REGION = "region", "Conseil régional"
    EMPLOYER = "employer", "Employeur"
    STAFF_REPRESENTATIVE = "staff_representative", "Représentant du personnel"
    UNION_REPRESENTATIVE = "union_representative", "Représentant syndical"
    BRANCH = "branch", "Branche professionnelle"
    OPCO = "opco", "OPCO"
    FRANCE_TRAVAIL = "france_travail", "France Travail"
    MISSION_LOCALE = "mission_locale", "Mission locale"


ROLES_BY_KIND: dict[str, tuple[str, ...]] = {
    OrganisationKind.CERTIFIER: (Role.ADMIN, Role.CERTIFIER_OFFICER),
    OrganisationKind.EVALUATOR: (Role.ADMIN, Role.EVALUATOR),
    OrganisationKind.TRAINING: (Role.ADMIN, Role.TRAINER),
    OrganisationKind.PRESCRIBER: (Role.ADMIN, Role.ADVISER),
    OrganisationKind.EMPLOYER: (Role.ADMIN, Role.EMPLOYER_CONTACT),
    OrganisationKind.JURY_ORGANISER: (Role.ADMIN, Role.JURY_ORGANISER, Role.JURY_MEMBER),
}


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user) -> OrganisationQuerySet:
        """The certifier sees every organisation; anyone else sees the ones they belong to."""
        if not user.is_authenticated:
            return self.none()
        if is_certifier(user):
            return self
        return self.filter(memberships__user=user, memberships__is_active=True).distinct()


class Organisation(PublicIdModel, TimestampedModel):
    name = models.CharField("nom", max_length=255)
    kind = models.CharField("type", max_length=20, choices=OrganisationKind.choices, db_index=True)
    prescriber_type = models.CharField(
        "type de prescripteur", max_length=30, choices=PrescriberType.choices, blank=True
    )
    siret = models.CharField(
        "SIRET",
        max_length=14,
        blank=True,
        validators=[validate_siret],
        help_text="14 chiffres, clé de contrôle vérifiée.",
    )
    address_line1 = models.CharField("adresse", max_length=255, blank=True)
    address_line2 = models.CharField("complément d'adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations")
    email = models.EmailField("e-mail de contact", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    website = models.URLField("site web", blank=True)
    is_active = models.BooleanField("active", default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siret"],
                condition=~Q(siret=""),
                name="unique_organisation_siret",
                violation_error_message="Une organisation avec ce SIRET existe déjà.",
            ),
            models.CheckConstraint(
                condition=Q(kind="prescriber", prescriber_type__gt="")
                | (~Q(kind="prescriber") & Q(prescriber_type="")),
                name="prescriber_type_iff_prescriber",
            ),
        ]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        self.siret = normalise_siret(self.siret)
        if self.kind == OrganisationKind.PRESCRIBER and not self.prescriber_type:
            errors["prescriber_type"] = "Indiquez le type de prescripteur."
        if self.kind != OrganisationKind.PRESCRIBER:
            self.prescriber_type = ""
        if self.postcode and not Postcode.objects.filter(code=self.postcode).exists():
            errors["postcode"] = "Ce code postal n'existe pas."
        elif (
            self.commune_id
            and self.postcode
            and not Postcode.objects.filter(code=self.postcode, commune_id=self.commune_id).exists()
        ):
            errors["commune"] = "Cette commune ne correspond pas au code postal."
        if errors:
            raise ValidationError(errors)

    @property
    def allowed_roles(self) -> tuple[str, ...]:
        return ROLES_BY_KIND.get(self.kind, (Role.ADMIN,))


class HabilitationQuerySet(models.QuerySet["Habilitation"]):
    def valid_on(self, day: datetime.date) -> HabilitationQuerySet:
        """In its period, not withdrawn by that day, not suspended on that day."""
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day),
            valid_from__lte=day,
        ).exclude(Exists(Suspension.objects.covering(day).filter(habilitation=OuterRef("pk"))))

    def not_withdrawn(self, day: datetime.date) -> HabilitationQuerySet:
        return self.filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))

    def visible_to(self, user) -> HabilitationQuerySet:
        return self.filter(organisation__in=Organisation.objects.visible_to(user))


class Habilitation(PublicIdModel):
    """The certifier's authorisation for an evaluator organisation to evaluate, per region."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="habilitations")
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="habilitations")
    regions = models.ManyToManyField(Region, related_name="habilitations", verbose_name="régions")
    valid_from = models.DateField("valable du")
    valid_until = models.DateField("valable jusqu'au", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField("retirée le", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.TextField("motif du retrait", blank=True, max_length=limits.REASON)
    # The withdrawal is decided at withdrawn_at and takes effect on this day (the habilitation ends the day before).
    withdrawn_on = models.DateField("retrait effectif le", null=True, blank=True)

    objects = HabilitationQuerySet.as_manager()

    class Meta:
        verbose_name = "habilitation"
        ordering = ["-valid_from"]
        indexes = [
            models.Index(fields=["certification", "valid_from", "valid_until"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="habilitation_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.certification}"

    def covers(self, day: datetime.date) -> bool:
        return (
            (self.withdrawn_on is None or day < self.withdrawn_on)
            and self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
            and not any(suspension.covers(day) for suspension in self.suspensions.all())
        )

    def state_on(self, day: datetime.date) -> str:
        """Plain French for the screens: what this habilitation allows on that day."""
        if self.withdrawn_on is not None and self.withdrawn_on <= day:
            return f"Retirée depuis le {self.withdrawn_on:%d/%m/%Y}"
        if day < self.valid_from:
            return f"Valable à partir du {self.valid_from:%d/%m/%Y}"
        if self.valid_until is not None and self.valid_until < day:
            return f"Échue le {self.valid_until:%d/%m/%Y}"
        current = next((s for s in self.suspensions.all() if s.covers(day)), None)
        if current is not None:
            return f"Suspendue depuis le {current.starts_on:%d/%m/%Y}" + (
                f" jusqu'au {current.ends_on:%d/%m/%Y}" if current.ends_on else ""
            )
        if self.withdrawn_on is not None:
            return f"Active, retrait prévu le {self.withdrawn_on:%d/%m/%Y}"
        return "Active"


class HabilitatedEstablishment(models.Model):
    """An establishment (SIRET) a habilitation covers, as the accepted application listed it."""

    habilitation = models.ForeignKey(Habilitation, on_delete=models.CASCADE, related_name="establishments")
    siret = models.CharField("SIRET", max_length=14, validators=[validate_siret])
    name = models.CharField("nom de l'établissement", max_length=255)

    class Meta:
        verbose_name = "établissement habilité"
        ordering = ["siret"]
        indexes = [models.Index(fields=["siret"])]
        constraints = [
            models.UniqueConstraint(fields=["habilitation", "siret"], name="unique_establishment_per_habilitation")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.siret})"


class SuspensionQuerySet(models.QuerySet["Suspension"]):
    def covering(self, day: datetime.date) -> SuspensionQuerySet:
        return self.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day),
            starts_on__lte=day,
            lifted_at__isnull=True,
        )


class Suspension(PublicIdModel):
    """The certifier suspends a habilitation from a day (after an audit, rule 21); lifting it is recorded too."""

    habilitation = models.ForeignKey(Habilitation, on_delete=models.PROTECT, related_name="suspensions")
    starts_on = models.DateField("suspendue à partir du")
    ends_on = models.DateField("jusqu'au", null=True, blank=True)
    reason = models.TextField("motif", max_length=limits.REASON)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField("levée le", null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        verbose_name = "suspension d'habilitation"
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["habilitation", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="suspension_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"Suspension de {self.habilitation} à partir du {self.starts_on:%d/%m/%Y}"

    def covers(self, day: datetime.date) -> bool:
        return self.lifted_at is None and self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True, organisation__is_active=True)


class Membership(PublicIdModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField("fin", null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "rattachement"
        ordering = ["organisation__name", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership_role")]
        indexes = [models.Index(fields=["user", "is_active"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"

    def clean(self) -> None:
        if self.organisation_id and self.role not in self.organisation.allowed_roles:
            raise ValidationError({"role": "Ce rôle n'existe pas pour ce type d'organisation."})
