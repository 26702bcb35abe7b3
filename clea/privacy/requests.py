"""The person's requests on their data (withdraw consent, erase) and the organisation's answer.

Withdrawing consent takes effect at once: an open dossier stops, since nothing more may be done with
data given on that basis. Erasing is irreversible and may have to be refused for a reason (a dossier
at the jury), so a person of the evaluator organisation carries it out, within a month.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from clea.accounts.models import User
from clea.dossiers.deadlines import add_months
from clea.dossiers.models import Dossier, EventKind
from clea.dossiers.services import lock_dossier, record_event, set_state
from clea.dossiers.workflow import Action, State, allows
from clea.lib.errors import Conflict, RuleViolation
from clea.notifications.sending import notify
from clea.privacy.erasure import anonymise_dossier
from clea.privacy.models import Anonymisation, PrivacyRequest, RequestKind, RequestStatus, RetentionNotice

# Not a kind people may turn off: answers to a legal request always reach the person.
ANSWER_KIND = "privacy_answer"


def answer_due(requested_on: datetime.date) -> datetime.date:
    """RGPD art. 12.3: one month to answer."""
    return add_months(requested_on, 1)


def _check_can_ask(dossier: Dossier) -> None:
    if Anonymisation.objects.filter(dossier=dossier).exists():
        raise Conflict("Les données de ce dossier sont déjà anonymisées.")
    pending = PrivacyRequest.objects.filter(dossier=dossier, status=RequestStatus.PENDING).first()
    if pending is not None:
        raise Conflict(
            f"Votre demande du {pending.requested_at:%d/%m/%Y} est en cours : l'organisme y répond au plus "
            f"tard le {pending.answer_due:%d/%m/%Y}."
        )


def _create(dossier: Dossier, kind: str, *, by: User, message: str) -> PrivacyRequest:
    return PrivacyRequest.objects.create(
        dossier=dossier,
        kind=kind,
        message=message.strip(),
        requested_by=by,
        answer_due=answer_due(timezone.localdate()),
    )


@transaction.atomic
def withdraw_consent(dossier: Dossier, *, by: User, message: str = "") -> PrivacyRequest:
    dossier = lock_dossier(dossier)
    _check_can_ask(dossier)
    record_event(dossier, EventKind.CONSENT_WITHDRAWN, "Consentement retiré par le candidat", by=by)
    if dossier.is_open and allows(dossier.state, Action.WITHDRAW):
        set_state(dossier, State.WITHDRAWN)
        record_event(dossier, EventKind.WITHDRAWN, "Abandon : consentement retiré par le candidat", by=by)
    return _create(dossier, RequestKind.CONSENT_WITHDRAWAL, by=by, message=message)


@transaction.atomic
def request_erasure(dossier: Dossier, *, by: User, message: str = "") -> PrivacyRequest:
    dossier = lock_dossier(dossier)
    _check_can_ask(dossier)
    return _create(dossier, RequestKind.ERASURE, by=by, message=message)


def _lock_pending(request: PrivacyRequest) -> PrivacyRequest:
    locked = PrivacyRequest.objects.select_for_update().select_related("dossier__candidate").get(pk=request.pk)
    if locked.status != RequestStatus.PENDING:
        raise Conflict("Cette demande a déjà été traitée.")
    return locked


def _person_email(dossier: Dossier) -> str:
    account = getattr(dossier.candidate, "account", None)
    return account.user.email if account is not None else dossier.candidate.email


@transaction.atomic
def carry_out(request: PrivacyRequest, *, by: User) -> PrivacyRequest:
    """Erase now: an open dossier is first ended as withdrawn; a certified one keeps its certificate."""
    request = _lock_pending(request)
    dossier = lock_dossier(request.dossier)
    if dossier.is_open:
        if not allows(dossier.state, Action.WITHDRAW):
            raise Conflict(
                "Le dossier est devant le jury : attendez la décision, ou retirez-le de la session, puis effacez."
            )
        set_state(dossier, State.WITHDRAWN)
        record_event(dossier, EventKind.WITHDRAWN, "Abandon : effacement demandé par le candidat", by=by)
    email = _person_email(dossier)
    anonymise_dossier(
        dossier, by=by, reason=f"{request.get_kind_display()} du {timezone.localtime(request.requested_at):%d/%m/%Y}"
    )
    request.status, request.handled_at, request.handled_by = RequestStatus.ERASED, timezone.now(), by
    request.save(update_fields=["status", "handled_at", "handled_by"])
    notify(
        ANSWER_KIND,
        template="privacy_erased",
        context={"organisation": dossier.evaluator_organisation.name, "certified": dossier.state == State.CERTIFIED},
        emails=[email],
    )
    return request


@transaction.atomic
def refuse(request: PrivacyRequest, *, by: User, answer: str) -> PrivacyRequest:
    if not answer.strip():
        raise RuleViolation("Indiquez à la personne pourquoi ses données ne peuvent pas être effacées.", field="answer")
    request = _lock_pending(request)
    request.status, request.handled_at, request.handled_by = RequestStatus.REFUSED, timezone.now(), by
    request.answer = answer.strip()
    request.save(update_fields=["status", "handled_at", "handled_by", "answer"])
    record_event(request.dossier, EventKind.PRIVACY, "Demande d'effacement refusée", by=by, reason=request.answer)
    notify(
        ANSWER_KIND,
        template="privacy_refused",
        context={"organisation": request.dossier.evaluator_organisation.name, "answer": request.answer},
        emails=[_person_email(request.dossier)],
    )
    return request


@transaction.atomic
def keep_dossier(dossier: Dossier, *, by: User) -> None:
    """The person answers the retention notice: keep it. The event is activity, so the clock starts again."""
    dossier = lock_dossier(dossier)
    running = RetentionNotice.objects.running().filter(dossier=dossier)
    if not running.update(cancelled_on=timezone.localdate()):
        raise Conflict("Aucune anonymisation n'est prévue pour ce dossier.")
    record_event(dossier, EventKind.PRIVACY, "Le candidat demande de garder son dossier", by=by)
