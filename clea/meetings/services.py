"""Requests for an information meeting: received from the directory, answered by the organisation."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from clea.accounts.models import User
from clea.dossiers.models import Dossier
from clea.lib.errors import Conflict, RuleViolation
from clea.meetings import mails
from clea.meetings.models import MeetingBooking, MeetingRequest, RequestStatus
from clea.organisations.models import Habilitation, Organisation, OrganisationKind
from clea.referentiel.models import Certification

ERASED = "—"  # what is left of the name once a request closes without a dossier


def submit_request(
    *,
    organisation: Organisation,
    certification: Certification | None,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    preferred_times: str,
    consent: bool,
    today: datetime.date,
) -> MeetingRequest:
    """A person asks to meet an organisation listed today; only what is needed to reach them is kept."""
    if organisation.kind != OrganisationKind.EVALUATOR or not (
        Habilitation.objects.valid_on(today).filter(organisation=organisation).exists()
    ):
        raise RuleViolation("Cet organisme n'est pas habilité aujourd'hui : choisissez-en un autre dans l'annuaire.")
    if not consent:
        raise RuleViolation("Votre accord pour être recontacté est nécessaire.", field="consent")
    if not (email.strip() or phone.strip()):
        raise RuleViolation("Indiquez un e-mail ou un téléphone pour que l'organisme vous recontacte.", field="email")
    if not first_name.strip() or not last_name.strip():
        raise RuleViolation("Indiquez votre prénom et votre nom.", field="first_name")
    request = MeetingRequest.objects.create(
        evaluator_organisation=organisation,
        certification=certification,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        preferred_times=preferred_times.strip(),
        consent_at=timezone.now(),
    )
    mails.request_received(request)  # the link to choose a slot, which also proves the address is theirs
    return request


def pending_booking(request: MeetingRequest) -> MeetingBooking | None:
    """The request's place on a slot, neither cancelled nor marked (at most one)."""
    return request.bookings.filter(cancelled_at__isnull=True, attendance="").select_related("slot").first()


def release_booking(request: MeetingRequest, *, by: User | None) -> MeetingBooking | None:
    """Cancel the pending booking, if any (call with the request locked): a future place is free again; on
    a slot already held, the booking stays on its list for the attendance (``MeetingSlot.held``)."""
    booking = pending_booking(request)
    if booking is None:
        return None
    booking.cancelled_at, booking.cancelled_by = timezone.now(), by
    booking.save(update_fields=["cancelled_at", "cancelled_by"])
    return booking


def lock_open_request(request: MeetingRequest) -> MeetingRequest:
    locked = MeetingRequest.objects.select_for_update().get(pk=request.pk)
    if not locked.is_open:
        raise Conflict("Cette demande est déjà traitée.")
    return locked


@transaction.atomic
def propose_meeting(request: MeetingRequest, *, when: datetime.datetime, by: User) -> MeetingRequest:
    request = lock_open_request(request)
    if when <= timezone.now():
        raise RuleViolation("La réunion se propose à une date à venir.", field="when")
    release_booking(request, by=by)  # a date outside the slots replaces the slot booked
    request.status, request.proposed_for, request.handled_by = RequestStatus.PROPOSED, when, by
    request.reminded_at = None
    request.save(update_fields=["status", "proposed_for", "handled_by", "reminded_at"])
    mails.date_proposed(request)
    return request


@transaction.atomic
def close_request(request: MeetingRequest, *, by: User | None) -> MeetingRequest:
    """No dossier (the person did not come or does not go on): the contact data are erased now.
    ``by`` is None when the retention task closes a request nobody answered (clea.privacy.retention)."""
    request = lock_open_request(request)
    release_booking(request, by=by)
    request.first_name = request.last_name = ERASED
    request.email = request.phone = request.preferred_times = ""
    request.status, request.closed_at, request.handled_by = RequestStatus.CLOSED, timezone.now(), by
    request.save()
    return request


@transaction.atomic
def link_dossier(request: MeetingRequest, dossier: Dossier, *, by: User) -> MeetingRequest:
    """The person agreed after the meeting: the dossier now holds their identity, the request links it."""
    request = lock_open_request(request)
    request.status, request.dossier, request.handled_by = RequestStatus.OPENED, dossier, by
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "dossier", "handled_by", "closed_at"])
    return request
