"""Candidates and their dossiers at an evaluator organisation, with the dossier's timeline."""

from __future__ import annotations

import datetime
import functools
import operator
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from clea.accounts.memberships import active_memberships, is_certifier
from clea.dossiers.deadlines import path_deadline
from clea.dossiers.identity import (
    BIRTH_PLACE_MISSING,
    BIRTH_PLACE_TWICE,
    birth_place_is_missing,
    birth_place_is_twice,
    validate_birth_date,
)
from clea.dossiers.workflow import OPEN_STATES, STATE_LABELS, State
from clea.geography.models import Commune, Country
from clea.lib import limits
from clea.lib.models import PublicIdModel, TimestampedModel
from clea.lib.roles import OrganisationKind
from clea.organisations.models import Organisation, PrescriberType
from clea.referentiel.models import Certification, ReferentielVersion


def identity_key(birth_name: str, first_names: str, birth_date: datetime.date) -> str:
    """Normalised identity used to find a person's other dossiers (accents, case and spaces ignored)."""

    def fold(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text or "")
        letters = "".join(c for c in decomposed if c.isalnum() or c == " ")
        return " ".join(letters.lower().split())

    first = fold(first_names).split(" ")[0] if first_names else ""
    return f"{fold(birth_name)}|{first}|{birth_date.isoformat()}"


class Sex(models.TextChoices):
    FEMALE = "F", "Femme"
    MALE = "M", "Homme"


class CandidateStatus(models.TextChoices):
    """docs/rules.md rule 9."""

    EMPLOYEE = "employee", "Salarié"
    JOB_SEEKER = "job_seeker", "Demandeur d'emploi"
    YOUNG_MISSION_LOCALE = "young_mission_locale", "Jeune suivi par une Mission locale"


class Initiator(models.TextChoices):
    """docs/rules.md rule 8: the person, or a prescriber."""

    SELF = "self", "La personne elle-même"
    PRESCRIBER = "prescriber", "Un prescripteur"


class Candidate(PublicIdModel, TimestampedModel):
    """Identity needed for the certificate and the CPF reporting; nothing more (minimal data)."""

    birth_name = models.CharField("nom de naissance", max_length=150)
    usage_name = models.CharField("nom d'usage", max_length=150, blank=True)
    first_names = models.CharField("prénoms", max_length=200)
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("date de naissance", validators=[validate_birth_date])
    birth_commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune de naissance",
    )
    birth_country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="pays de naissance (si né hors de France)",
    )
    # A country typed before the official list, that no country matched: kept until someone picks it.
    birth_country_declared = models.CharField("pays déclaré (à préciser)", max_length=100, blank=True, editable=False)
    address_line1 = models.CharField("adresse", max_length=255)
    address_line2 = models.CharField("complément d'adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=5)
    # Null only once anonymised (rule 23): the form and the API require it.
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="commune")
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    identity_key = models.CharField(max_length=400, db_index=True, editable=False)

    class Meta:
        verbose_name = "candidat"
        indexes = [models.Index(fields=["birth_name"]), models.Index(fields=["usage_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        name = self.usage_name or self.birth_name
        return f"{self.first_names.split(' ')[0]} {name.upper()}"

    def clean(self) -> None:
        if birth_place_is_missing(self.birth_commune_id, self.birth_country_id):
            raise ValidationError({"birth_country": BIRTH_PLACE_MISSING})
        if birth_place_is_twice(self.birth_commune_id, self.birth_country_id):
            raise ValidationError({"birth_country": BIRTH_PLACE_TWICE})

    def save(self, *args, **kwargs):
        self.identity_key = identity_key(self.birth_name, self.first_names, self.birth_date)
        super().save(*args, **kwargs)


# Organisation kind -> how its members reach a dossier (the lookup of its id from the dossier).
FOLLOWING_KINDS: dict[str, str] = {
    OrganisationKind.EVALUATOR: "evaluator_organisation_id__in",
    OrganisationKind.TRAINING: "training_paths__training_organisation_id__in",
    OrganisationKind.JURY_ORGANISER: "jury_entries__session__organiser_id__in",
}


class DossierQuerySet(models.QuerySet):
    def visible_to(self, user) -> DossierQuerySet:
        """Evaluator organisation holding the dossier, training organisation of one of its paths, the jury
        organiser of a session it was put on, and the certifier; anyone else sees nothing (and gets 404).

        Each path is asked only of the members of organisations of its kind (the services let only an
        evaluator hold a dossier, a training organisation run a path, a jury organiser hold a session), and
        as a semi-join, not an OR over LEFT JOINs with DISTINCT: an evaluator's list is then a plain
        ``evaluator_organisation_id IN (...)`` on its index, whatever the size of the country."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_certifier(user):
            return self
        kinds: dict[str, set[int]] = {}
        for membership in active_memberships(user):
            kinds.setdefault(membership.organisation.kind, set()).add(membership.organisation_id)
        conditions = [self._followed_by(kind, ids) for kind, ids in sorted(kinds.items()) if kind in FOLLOWING_KINDS]
        if not conditions:
            return self.none()
        return self.filter(functools.reduce(operator.or_, conditions))

    def followed_by(self, organisation: Organisation) -> DossierQuerySet:
        """The dossiers one organisation works on (its list): held, trained, or put before its jury."""
        if organisation.kind not in FOLLOWING_KINDS:
            return self.none()
        return self.filter(self._followed_by(organisation.kind, {organisation.pk}))

    def _followed_by(self, kind: str, organisation_ids: set[int]) -> Q:
        held = Q(**{FOLLOWING_KINDS[kind]: organisation_ids})
        if kind == OrganisationKind.EVALUATOR:
            return held
        # Through reverse relations (the training and jury apps sit above this one): a semi-join, no DISTINCT.
        return Q(pk__in=Dossier.objects.filter(held).values("pk"))

    def open(self) -> DossierQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def involving_employer(self, employer_ids) -> DossierQuerySet:
        """Dossiers whose candidate involves one of these employers now (rule 15)."""
        return self.filter(
            employer__in=employer_ids, employer_involved_at__isnull=False, employer_involvement_ended_at__isnull=True
        )

    def deadline_before(self, day: datetime.date) -> DossierQuerySet:
        return self.filter(deadline__isnull=False, deadline__lte=day)


class Dossier(PublicIdModel, TimestampedModel):
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="dossiers")
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="dossiers")
    referentiel_version = models.ForeignKey(
        ReferentielVersion,
        on_delete=models.PROTECT,
        related_name="dossiers",
        help_text="Version du référentiel en vigueur à l'ouverture ; chaque évaluation l'enregistre aussi.",
    )
    evaluator_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="dossiers")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="évaluateur référent",
    )
    state = models.CharField(
        "état", max_length=30, choices=[(s.value, STATE_LABELS[s]) for s in State], default=State.INFORMATION
    )
    candidate_status = models.CharField("statut", max_length=30, choices=CandidateStatus.choices)
    initiator = models.CharField("à l'initiative de", max_length=20, choices=Initiator.choices)
    prescriber_type = models.CharField(
        "type de prescripteur", max_length=30, choices=PrescriberType.choices, blank=True
    )
    prescriber = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prescribed_dossiers",
        verbose_name="organisation prescriptrice",
    )
    employer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employee_dossiers",
        verbose_name="employeur",
    )
    # Rule 15: the employer learns something only once the candidate chooses to involve them (prescriber,
    # absence on work time, employer funding); the choice is dated and may end, for what comes next.
    employer_involved_at = models.DateTimeField("employeur associé par le candidat le", null=True, blank=True)
    employer_involvement_ended_at = models.DateTimeField("association de l'employeur retirée le", null=True, blank=True)
    consent_at = models.DateTimeField("consentement recueilli le")
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="consentement recueilli par",
    )
    initial_assessment_date = models.DateField("date de l'évaluation préalable", null=True, blank=True)
    # Stored (initial_assessment_date + the profile's years) so lists filter and sort on an index.
    deadline = models.DateField("date limite du parcours", null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = "dossier"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["evaluator_organisation", "state"]),
            models.Index(fields=["evaluator_organisation", "evaluator"]),
            models.Index(fields=["evaluator_organisation", "certification"]),
            models.Index(fields=["evaluator_organisation", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(initiator="self", prescriber_type="") | Q(initiator="prescriber") & ~Q(prescriber_type=""),
                name="prescriber_type_iff_prescribed",
            )
        ]

    def __str__(self) -> str:
        return f"Dossier {self.certification.name} — {self.candidate}"

    @property
    def state_label(self) -> str:
        return STATE_LABELS[State(self.state)]

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def employer_involved(self) -> bool:
        """The candidate has involved their employer and not withdrawn it."""
        return bool(self.employer_id and self.employer_involved_at and not self.employer_involvement_ended_at)

    def compute_deadline(self) -> datetime.date | None:
        return path_deadline(self.initial_assessment_date, self.referentiel_version.profile.path_validity_years)


class EventKind(models.TextChoices):
    OPENED = "opened", "Dossier ouvert"
    MEETING = "meeting", "Réunion d'information"
    INITIAL_STARTED = "initial_started", "Évaluation préalable commencée"
    SITTING = "sitting", "Séance d'évaluation"
    INITIAL_CLOSED = "initial_closed", "Évaluation préalable clôturée"
    CORRECTION = "correction", "Correction d'un résultat"
    TRAINING_PROPOSED = "training_proposed", "Parcours de formation proposé"
    TRAINING_PROGRESS = "training_progress", "Avancement de la formation"
    FINAL_STARTED = "final_started", "Évaluation finale commencée"
    FINAL_CLOSED = "final_closed", "Évaluation finale clôturée"
    SUBMITTED = "submitted", "Présenté au jury"
    ON_SESSION = "on_session", "Inscrit à une session de jury"
    DECIDED = "decided", "Décision du jury"
    INVITED = "invited", "Invitation à l'espace candidat"
    CERTIFICATE_ISSUED = "certificate_issued", "Certificat délivré"
    CERTIFICATE_REVOKED = "certificate_revoked", "Certificat retiré"
    FUNDING = "funding", "Financement"
    EMPLOYER = "employer", "Employeur associé ou retiré par le candidat"
    TRANSFER_REQUESTED = "transfer_requested", "Transfert demandé"
    TRANSFERRED = "transferred", "Transféré"
    TRANSFER_DECLINED = "transfer_declined", "Transfert refusé"
    WITHDRAWN = "withdrawn", "Abandon"
    CLOSED = "closed", "Clôture"
    EXPIRED = "expired", "Expiration"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Consentement retiré par le candidat"
    ANONYMISED = "anonymised", "Données personnelles anonymisées"
    PRIVACY = "privacy", "Données personnelles : demande du candidat"


class DossierEvent(models.Model):
    """The dossier's story, append-only: who did what, when and why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("le", auto_now_add=True, db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    summary = models.CharField("quoi", max_length=500)
    reason = models.TextField("pourquoi", blank=True, max_length=limits.REASON)

    class Meta:
        verbose_name = "événement du dossier"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y} {self.summary}"


class MeetingOutcome(models.TextChoices):
    CONTINUES = "continues", "Poursuit le parcours"
    THINKS = "thinks", "Réfléchit"
    DECLINES = "declines", "Ne donne pas suite"


class InformationMeeting(PublicIdModel):
    """Step 1, without commitment (docs/rules.md rule 10)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField("date")
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="conseiller"
    )
    outcome = models.CharField("suite donnée", max_length=20, choices=MeetingOutcome.choices)
    notes = models.TextField("notes", blank=True, max_length=limits.NOTE)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "réunion d'information"
        ordering = ["date"]


class TransferStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    ACCEPTED = "accepted", "Accepté"
    DECLINED = "declined", "Refusé"


class TransferRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> TransferRequestQuerySet:
        """Requests on the dossiers the user sees: the holder answers them."""
        return self.filter(dossier__in=Dossier.objects.visible_to(user).values("pk"))


class TransferRequest(PublicIdModel):
    """Another evaluator organisation asks to take over a dossier; the holder answers."""

    objects = TransferRequestQuerySet.as_manager()

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="transfer_requests")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("motif", max_length=limits.REASON)
    status = models.CharField(max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING)
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer_reason = models.TextField(blank=True, max_length=limits.REASON)

    class Meta:
        verbose_name = "demande de transfert"
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "to_organisation"],
                condition=Q(status="pending"),
                name="one_pending_transfer_per_target",
            )
        ]


class DeadlineReminder(models.Model):
    """A reminder of the 5-year limit, recorded as sent (with its e-mails, in one transaction): a second
    daily run, or an overlapping one, finds it and sends nothing."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="deadline_reminders")
    deadline = models.DateField()
    months_before = models.PositiveSmallIntegerField()
    sent_on = models.DateField()

    class Meta:
        verbose_name = "rappel de date limite"
        constraints = [
            models.UniqueConstraint(fields=["dossier", "deadline", "months_before"], name="one_reminder_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} — {self.months_before} mois"
