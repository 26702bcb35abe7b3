"""Absence authorisation requests: record, answer, and tacit acceptance after 30 days of silence."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from clea.absences.models import ACCEPTING, AbsenceRequest, AbsenceStatus
from clea.absences.rules import absence_dates, training_dates_problem
from clea.accounts.models import User
from clea.dossiers.models import CandidateStatus, Dossier, EventKind
from clea.dossiers.services import record_event
from clea.funding.services import add_paid_work_time
from clea.lib.errors import Conflict, RuleViolation
from clea.notifications.models import Kind
from clea.notifications.sending import candidate_recipients, members, notify
from clea.organisations.models import Role

# Rule 16: the employee using the CPF on work time keeps their pay; not a choice of the request.
NO_UNPAID = (
    "Pour une formation suivie avec le CPF sur le temps de travail, la rémunération est maintenue par "
    "l'employeur : ce n'est pas une option de la demande."
)


@transaction.atomic
def request_absence(
    dossier: Dossier,
    *,
    requested_on: datetime.date,
    start_date: datetime.date,
    end_date: datetime.date,
    hours: int,
    by: User,
    today: datetime.date,
    pay_maintained: bool = True,
) -> AbsenceRequest:
    """Recorded even when late (the employer may still accept), but flagged as out of the legal delay."""
    if not pay_maintained:
        raise RuleViolation(NO_UNPAID, field="pay_maintained")
    employer = dossier.employer
    if dossier.candidate_status != CandidateStatus.EMPLOYEE or employer is None or not dossier.employer_involved:
        raise RuleViolation(
            "Une autorisation d'absence se demande à l'employeur que le candidat salarié associe à son parcours."
        )
    if not dossier.is_open:
        raise Conflict("Ce dossier est fermé.")
    if requested_on > today:
        raise RuleViolation("La date de la demande ne peut pas être dans le futur.", field="requested_on")
    problem = training_dates_problem(start_date, end_date, today)
    if problem:
        raise RuleViolation(problem, field="end_date" if end_date < start_date else "start_date")
    if not 1 <= hours <= 2000:
        raise RuleViolation("Le nombre d'heures va de 1 à 2 000.", field="hours")
    dates = absence_dates(requested_on=requested_on, start=start_date, end=end_date)
    request = AbsenceRequest.objects.create(
        dossier=dossier,
        employer=employer,
        requested_on=requested_on,
        start_date=start_date,
        end_date=end_date,
        hours=hours,
        latest_request_date=dates.latest_request_date,
        answer_due=dates.answer_due,
        request_late=dates.request_late,
        pay_maintained=True,
        created_by=by,
    )
    late = " (hors délai légal)" if dates.request_late else ""
    record_event(
        dossier,
        EventKind.FUNDING,
        f"Demande d'autorisation d'absence de {hours} h envoyée à « {employer.name} »{late}, rémunération "
        f"maintenue ; réponse attendue au plus tard le {dates.answer_due:%d/%m/%Y}",
        by=by,
    )
    notify(
        Kind.ABSENCE_RECEIVED,
        template="absence_received",
        context={
            "candidate": dossier.candidate.full_name,
            "start": start_date,
            "end": end_date,
            "hours": hours,
            "answer_due": dates.answer_due,
        },
        users=members(employer, [Role.ADMIN, Role.EMPLOYER_CONTACT]),
        organisation=employer,
    )
    return request


def _tell_answer(request: AbsenceRequest) -> None:
    recipients = candidate_recipients(request.dossier.candidate)
    notify(
        Kind.ABSENCE_ANSWERED,
        template="absence_answered",
        context={"start": request.start_date, "status": request.get_status_display().lower()},
        users=[
            *members(request.dossier.evaluator_organisation, [Role.ADMIN, Role.EVALUATOR]),
            *recipients.get("users", []),
        ],
        emails=recipients.get("emails", []),
    )


# Rule 16: for CléA on CPF work time the employer must deliver the authorisation; only the dates are theirs.
NO_REFUSAL = (
    "L'employeur doit délivrer l'autorisation d'absence pour CléA sur le temps de travail : il ne peut pas "
    "la refuser, seulement choisir d'autres dates (réponse « other_dates », « Acceptée à d'autres dates »)."
)


@transaction.atomic
def answer_absence(
    request: AbsenceRequest,
    *,
    decision: str,
    by: User,
    today: datetime.date,
    reason: str = "",
    other_start: datetime.date | None = None,
    other_end: datetime.date | None = None,
) -> AbsenceRequest:
    request = (
        AbsenceRequest.objects.select_for_update(of=("self",)).select_related("dossier", "employer").get(pk=request.pk)
    )
    if request.status == AbsenceStatus.TACITLY_ACCEPTED:
        raise Conflict(
            f"Sans réponse au {request.answer_due:%d/%m/%Y}, la demande a été acceptée tacitement : une réponse "
            "n'est plus possible."
        )
    if request.status != AbsenceStatus.PENDING:
        raise Conflict("Cette demande a déjà reçu une réponse.")
    if today > request.answer_due:
        # The daily task records the tacit acceptance; an answer can no longer change it.
        raise Conflict(
            f"Le délai de réponse est dépassé depuis le {request.answer_due:%d/%m/%Y} : le silence vaut acceptation."
        )
    if decision == AbsenceStatus.REFUSED:
        raise RuleViolation(NO_REFUSAL, field="decision")
    if decision == AbsenceStatus.OTHER_DATES:
        if not other_start or not other_end or other_end < other_start:
            raise RuleViolation("Indiquez les autres dates (début puis fin).", field="other_start")
        if other_start < today:
            raise RuleViolation("Les autres dates ne peuvent pas commencer avant aujourd'hui.", field="other_start")
        problem = training_dates_problem(other_start, other_end, today)
        if problem:
            raise RuleViolation(f"Autres dates : {problem[0].lower()}{problem[1:]}", field="other_start")
        request.other_start_date, request.other_end_date = other_start, other_end
    elif decision != AbsenceStatus.ACCEPTED:
        raise RuleViolation("Réponse inconnue.", field="decision")
    request.status, request.answered_at, request.answered_by = decision, timezone.now(), by
    request.save()
    _carry_pay(request, by=by)
    _tell_answer(request)
    record_event(
        request.dossier,
        EventKind.FUNDING,
        f"Autorisation d'absence : {request.get_status_display().lower()}",
        by=by,
        reason=reason,
        organisation=request.employer,
    )
    return request


def _carry_pay(request: AbsenceRequest, *, by: User | None) -> None:
    """An accepted request (explicitly, at other dates or tacitly) puts its paid work time into the
    dossier's funding, once: the caller holds the request's row lock, and the line is linked to it."""
    if request.status not in ACCEPTING or request.pay_line_id is not None:
        return
    request.pay_line = add_paid_work_time(request.dossier, employer=request.employer, hours=request.hours, by=by)
    request.save(update_fields=["pay_line"])


def _accept_tacitly(request: AbsenceRequest) -> None:
    request.status = AbsenceStatus.TACITLY_ACCEPTED
    request.save(update_fields=["status"])
    _carry_pay(request, by=None)
    _tell_answer(request)
    record_event(
        request.dossier,
        EventKind.FUNDING,
        f"Autorisation d'absence acceptée tacitement (pas de réponse au {request.answer_due:%d/%m/%Y})",
        organisation=request.employer,
    )


def accept_silent_requests(today: datetime.date) -> int:
    """Daily: silence past the 30 days is recorded as acceptance (Code du travail D6323-4)."""
    count = 0
    for pk in AbsenceRequest.objects.filter(status=AbsenceStatus.PENDING, answer_due__lt=today).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            request = (
                AbsenceRequest.objects.select_for_update(of=("self",)).select_related("dossier", "employer").get(pk=pk)
            )
            if request.status == AbsenceStatus.PENDING:
                _accept_tacitly(request)
                count += 1
    return count
