"""Business verbs on dossiers: open, information meeting, transfer, withdraw, close, expire, submit."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from clea.accounts.models import User
from clea.dossiers.deadlines import is_past, reminder_windows
from clea.dossiers.models import (
    Candidate,
    DeadlineReminder,
    Dossier,
    DossierEvent,
    EventKind,
    InformationMeeting,
    Initiator,
    MeetingOutcome,
    TransferRequest,
    TransferStatus,
    identity_key,
)
from clea.dossiers.workflow import ALLOWED, Action, State, allows, check
from clea.lib.errors import Conflict, RuleViolation
from clea.notifications.models import Kind
from clea.notifications.sending import candidate_recipients, members, notify
from clea.organisations.models import Habilitation, Organisation, OrganisationKind, Role
from clea.referentiel.models import Certification, ReferentielVersion, VersionStatus


class DuplicateDossier(RuleViolation):
    """The person already has an open dossier for this certification; a transfer is offered."""

    status = 409

    def __init__(self, existing: Dossier) -> None:
        holder = existing.evaluator_organisation.name
        super().__init__(
            f"Cette personne a déjà un dossier {existing.certification.name} ouvert chez « {holder} ». "
            "Plutôt que d'ouvrir un doublon, demandez le transfert de ce dossier : il arrivera avec son "
            "historique et ses résultats acquis."
        )
        self.existing = existing


def record_event(
    dossier: Dossier,
    kind: str,
    summary: str,
    *,
    by: User | None = None,
    reason: str = "",
    organisation: Organisation | None = None,
) -> DossierEvent:
    return DossierEvent.objects.create(
        dossier=dossier,
        kind=kind,
        summary=summary[:500],
        reason=reason,
        by=by,
        organisation=organisation or dossier.evaluator_organisation,
    )


def habilitation_covering(
    organisation: Organisation, certification: Certification, day: datetime.date
) -> Habilitation | None:
    """A valid habilitation of the organisation for the certification on that day (and its region)."""
    habilitations = Habilitation.objects.valid_on(day).filter(organisation=organisation, certification=certification)
    if organisation.commune is not None:  # no query when the organisation has no commune
        region = organisation.commune.departement.region_id
        habilitations = habilitations.filter(regions=region)
    return habilitations.first()


def require_habilitation(organisation: Organisation, certification: Certification, day: datetime.date) -> None:
    if habilitation_covering(organisation, certification, day) is None:
        raise RuleViolation(
            f"« {organisation.name} » n'a pas d'habilitation {certification.name} valable le "
            f"{day:%d/%m/%Y} : aucune évaluation ne peut être enregistrée à cette date."
        )


def find_open_duplicate(key: str, certification: Certification) -> Dossier | None:
    return (
        Dossier.objects.open()
        .filter(candidate__identity_key=key, certification=certification)
        .select_related("evaluator_organisation", "certification")
        .first()
    )


@transaction.atomic
def open_dossier(
    *,
    organisation: Organisation,
    certification: Certification,
    candidate: dict[str, Any],
    candidate_status: str,
    initiator: str,
    prescriber_type: str = "",
    prescriber: Organisation | None = None,
    employer: Organisation | None = None,
    consent: bool,
    evaluator: User | None = None,
    by: User,
    today: datetime.date,
) -> Dossier:
    """Open a dossier for a person; refuses duplicates, missing consent and non-habilitated organisations."""
    if organisation.kind != OrganisationKind.EVALUATOR:
        raise RuleViolation("Seul un organisme évaluateur ouvre des dossiers.")
    if not consent:
        raise RuleViolation("Le consentement du candidat est nécessaire pour ouvrir son dossier.", field="consent")
    require_habilitation(organisation, certification, today)
    # An employee need not tell their employer (rule 15): naming one is the candidate's choice to involve them.
    # A job seeker or a young person names the employer about to hire them (POE, contrat de professionnalisation).
    if employer is not None and employer.kind != OrganisationKind.EMPLOYER:
        raise RuleViolation("L'employeur choisi n'est pas une organisation de type employeur.", field="employer")
    if initiator == Initiator.PRESCRIBER and not prescriber_type:
        raise RuleViolation("Indiquez le type de prescripteur.", field="prescriber_type")
    if initiator == Initiator.SELF:
        prescriber_type, prescriber = "", None
    if prescriber is not None and prescriber.kind != OrganisationKind.PRESCRIBER:
        raise RuleViolation("L'organisation prescriptrice choisie n'est pas un prescripteur.", field="prescriber")
    if (
        evaluator is not None
        and not evaluator.memberships.filter(
            organisation=organisation, role__in=[Role.EVALUATOR, Role.ADMIN], is_active=True
        ).exists()
    ):
        raise RuleViolation("L'évaluateur référent doit appartenir à l'organisme.", field="evaluator")
    version = ReferentielVersion.objects.filter(certification=certification, status=VersionStatus.ACTIVE).first()
    if version is None:
        raise RuleViolation(f"Aucun référentiel {certification.name} n'est en vigueur.")
    existing = find_open_duplicate(
        identity_key(candidate["birth_name"], candidate["first_names"], candidate["birth_date"]), certification
    )
    if existing is not None:
        raise DuplicateDossier(existing)
    person = Candidate(**candidate)
    person.full_clean()
    person.save()
    dossier = Dossier.objects.create(
        candidate=person,
        certification=certification,
        referentiel_version=version,
        evaluator_organisation=organisation,
        evaluator=evaluator,
        candidate_status=candidate_status,
        initiator=initiator,
        prescriber_type=prescriber_type,
        prescriber=prescriber,
        employer=employer,
        employer_involved_at=timezone.now() if employer is not None else None,
        consent_at=timezone.now(),
        consent_by=by,
        created_by=by,
    )
    record_event(dossier, EventKind.OPENED, f"Dossier {certification.name} ouvert", by=by)
    if employer is not None:
        record_event(dossier, EventKind.EMPLOYER, f"Le candidat associe son employeur « {employer.name} »", by=by)
    notify(
        Kind.DOSSIER_OPENED,
        template="dossier_opened",
        context={"organisation": organisation.name, "certification": certification.name},
        **candidate_recipients(person),
    )
    return dossier


@transaction.atomic
def involve_employer(dossier: Dossier, employer: Organisation, *, by: User) -> Dossier:
    """The candidate chooses to involve their employer (for an absence on work time, employer funding)."""
    dossier = lock_dossier(dossier)
    if not dossier.is_open:
        raise Conflict("Ce dossier est fermé.")
    if employer.kind != OrganisationKind.EMPLOYER:
        raise RuleViolation("L'employeur choisi n'est pas une organisation de type employeur.", field="employer")
    if dossier.employer_involved and dossier.employer_id == employer.pk:
        raise Conflict(f"« {employer.name} » est déjà associé à ce parcours.")
    dossier.employer, dossier.employer_involved_at, dossier.employer_involvement_ended_at = (
        employer,
        timezone.now(),
        None,
    )
    dossier.save(update_fields=["employer", "employer_involved_at", "employer_involvement_ended_at", "updated_at"])
    record_event(dossier, EventKind.EMPLOYER, f"Le candidat associe son employeur « {employer.name} »", by=by)
    return dossier


@transaction.atomic
def end_employer_involvement(dossier: Dossier, *, by: User) -> Dossier:
    """The candidate withdraws the employer, for what comes next: what the employer answered stays."""
    dossier = lock_dossier(dossier)
    employer = dossier.employer
    if employer is None or not dossier.employer_involved:
        raise Conflict("Aucun employeur n'est associé à ce parcours.")
    dossier.employer_involvement_ended_at = timezone.now()
    dossier.save(update_fields=["employer_involvement_ended_at", "updated_at"])
    record_event(dossier, EventKind.EMPLOYER, f"Le candidat n'associe plus son employeur « {employer.name} »", by=by)
    return dossier


@transaction.atomic
def record_meeting(
    dossier: Dossier, *, date: datetime.date, adviser: User, outcome: str, notes: str, by: User, today: datetime.date
) -> InformationMeeting:
    check(dossier.state, Action.RECORD_MEETING)
    if date > today:
        raise RuleViolation("La réunion d'information ne peut pas être datée dans le futur.", field="date")
    meeting = InformationMeeting.objects.create(
        dossier=dossier, date=date, adviser=adviser, outcome=outcome, notes=notes, recorded_by=by
    )
    label = MeetingOutcome(outcome).label.lower()
    record_event(dossier, EventKind.MEETING, f"Réunion d'information du {date:%d/%m/%Y} : {label}", by=by)
    if outcome == MeetingOutcome.DECLINES:
        set_state(dossier, State.WITHDRAWN)
        record_event(dossier, EventKind.WITHDRAWN, "Le candidat ne donne pas suite", by=by)
    return meeting


def set_state(dossier: Dossier, state: State, **fields: object) -> None:
    dossier.state = state
    for name, value in fields.items():
        setattr(dossier, name, value)
    dossier.save(update_fields=["state", "updated_at", *fields])


def lock_dossier(dossier: Dossier) -> Dossier:
    """Re-read the dossier under a row lock: concurrent transitions are serialised."""
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("referentiel_version__profile")
        .get(pk=dossier.pk)
    )


@transaction.atomic
def withdraw(dossier: Dossier, *, reason: str, by: User) -> Dossier:
    dossier = lock_dossier(dossier)
    check(dossier.state, Action.WITHDRAW)
    if not reason.strip():
        raise RuleViolation("Indiquez le motif de l'abandon.", field="reason")
    set_state(dossier, State.WITHDRAWN)
    record_event(dossier, EventKind.WITHDRAWN, "Abandon du candidat", by=by, reason=reason)
    return dossier


@transaction.atomic
def close_without_certification(dossier: Dossier, *, reason: str, by: User) -> Dossier:
    dossier = lock_dossier(dossier)
    check(dossier.state, Action.CLOSE)
    if not reason.strip():
        raise RuleViolation("Indiquez le motif de la clôture.", field="reason")
    set_state(dossier, State.CLOSED)
    record_event(dossier, EventKind.CLOSED, "Dossier clôturé sans certification", by=by, reason=reason)
    return dossier


@transaction.atomic
def submit_to_jury(dossier: Dossier, *, by: User, summary: str) -> Dossier:
    dossier = lock_dossier(dossier)
    check(dossier.state, Action.SUBMIT_TO_JURY)
    set_state(dossier, State.AWAITING_JURY)
    record_event(dossier, EventKind.SUBMITTED, "Dossier présenté au jury", by=by, reason=summary)
    return dossier


def remind_deadlines(today: datetime.date) -> int:
    """Daily: reminders 6 months and 1 month before the 5-year limit, to the candidate and the organisation.

    Each reminder is recorded with its notifications in one transaction: run twice, or two runs at once,
    and nothing is sent twice; a run missed (scheduler down) is caught up within a week."""
    count = 0
    for months, first, last in reminder_windows(today):
        due = Dossier.objects.open().filter(deadline__gte=first, deadline__lte=last)
        for dossier in due.select_related("candidate", "evaluator_organisation"):
            with transaction.atomic():
                reminder, created = DeadlineReminder.objects.get_or_create(
                    dossier=dossier, deadline=dossier.deadline, months_before=months, defaults={"sent_on": today}
                )
                if not created:
                    continue
                notify(
                    Kind.DEADLINE_REMINDER,
                    template="deadline_reminder_organisation",
                    context={"candidate": dossier.candidate.full_name, "deadline": dossier.deadline},
                    users=members(dossier.evaluator_organisation, [Role.ADMIN, Role.EVALUATOR]),
                    organisation=dossier.evaluator_organisation,
                    key=f"deadline-reminder-{reminder.pk}-organisation",
                )
                notify(
                    Kind.DEADLINE_REMINDER,
                    template="deadline_reminder_candidate",
                    context={"deadline": dossier.deadline},
                    key=f"deadline-reminder-{reminder.pk}-candidate",
                    **candidate_recipients(dossier.candidate),
                )
                count += 1
    return count


def expire_overdue(today: datetime.date) -> int:
    """Daily: dossiers past their 5-year limit need a new évaluation préalable."""
    expired = 0
    overdue = Dossier.objects.filter(state__in=ALLOWED[Action.EXPIRE], deadline__lt=today).values_list("pk", flat=True)
    for pk in overdue:
        with transaction.atomic():
            dossier = Dossier.objects.select_for_update().get(pk=pk)
            if not allows(dossier.state, Action.EXPIRE) or not is_past(dossier.deadline, today):
                continue
            set_state(dossier, State.EXPIRED)
            record_event(
                dossier,
                EventKind.EXPIRED,
                f"Délai dépassé le {dossier.deadline:%d/%m/%Y} : une nouvelle évaluation préalable est nécessaire",
            )
            expired += 1
    return expired


@transaction.atomic
def request_transfer(
    *,
    organisation: Organisation,
    certification: Certification,
    candidate_identity: dict[str, Any],
    reason: str,
    by: User,
) -> TransferRequest:
    """Ask the holder of a person's open dossier to hand it over (found again from the identity)."""
    if organisation.kind != OrganisationKind.EVALUATOR:
        raise RuleViolation("Seul un organisme évaluateur peut reprendre un dossier.")
    if not reason.strip():
        raise RuleViolation("Indiquez le motif de la demande de transfert.", field="reason")
    key = identity_key(
        candidate_identity["birth_name"], candidate_identity["first_names"], candidate_identity["birth_date"]
    )
    dossier = find_open_duplicate(key, certification)
    if dossier is None:
        raise RuleViolation("Aucun dossier ouvert ne correspond à cette personne.")
    if dossier.evaluator_organisation_id == organisation.pk:
        raise RuleViolation("Ce dossier est déjà suivi par votre organisme.")
    check(dossier.state, Action.TRANSFER)
    if TransferRequest.objects.filter(
        dossier=dossier, to_organisation=organisation, status=TransferStatus.PENDING
    ).exists():
        raise Conflict("Une demande de transfert de ce dossier vers votre organisme est déjà en attente.")
    transfer = TransferRequest.objects.create(
        dossier=dossier,
        from_organisation=dossier.evaluator_organisation,
        to_organisation=organisation,
        reason=reason,
        requested_by=by,
    )
    record_event(
        dossier,
        EventKind.TRANSFER_REQUESTED,
        f"Transfert demandé par « {organisation.name} »",
        by=by,
        reason=reason,
        organisation=organisation,
    )
    return transfer


@transaction.atomic
def answer_transfer(transfer: TransferRequest, *, accept: bool, reason: str, by: User) -> TransferRequest:
    transfer = TransferRequest.objects.select_for_update().get(pk=transfer.pk)
    if transfer.status != TransferStatus.PENDING:
        raise Conflict("Cette demande de transfert a déjà reçu une réponse.")
    dossier = lock_dossier(transfer.dossier)
    transfer.answered_at, transfer.answered_by, transfer.answer_reason = timezone.now(), by, reason
    if not accept:
        if not reason.strip():
            raise RuleViolation("Indiquez le motif du refus.", field="reason")
        transfer.status = TransferStatus.DECLINED
        transfer.save()
        record_event(
            dossier,
            EventKind.TRANSFER_DECLINED,
            f"Transfert vers « {transfer.to_organisation.name} » refusé",
            by=by,
            reason=reason,
        )
        return transfer
    check(dossier.state, Action.TRANSFER)
    if dossier.evaluations.filter(closed_at__isnull=True).exists():
        raise Conflict("Une évaluation est en cours : clôturez-la avant de transférer le dossier.")
    transfer.status = TransferStatus.ACCEPTED
    transfer.save()
    previous = dossier.evaluator_organisation
    set_state(dossier, State(dossier.state), evaluator_organisation=transfer.to_organisation, evaluator=None)
    record_event(
        dossier,
        EventKind.TRANSFERRED,
        f"Dossier transféré de « {previous.name} » à « {transfer.to_organisation.name} » "
        "avec son historique et ses résultats",
        by=by,
        reason=reason,
        organisation=previous,
    )
    return transfer
