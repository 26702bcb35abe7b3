"""Information-meeting slots: published by the evaluator organisation, booked from a request (by the
person through their link, or by the organisation), then the attendance noted after the meeting."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from clea.accounts.models import User
from clea.lib.errors import Conflict, RuleViolation
from clea.meetings import mails
from clea.meetings.models import (
    Attendance,
    AttendanceMark,
    MeetingBooking,
    MeetingRequest,
    MeetingSlot,
    RequestStatus,
    SlotKind,
)
from clea.meetings.services import lock_open_request, pending_booking, release_booking
from clea.organisations.models import Organisation
from clea.referentiel.models import Certification

MIN_MINUTES, MAX_MINUTES = 15, 8 * 60
FULL = "Ce créneau est complet : choisissez-en un autre."


def publish_slot(
    *,
    organisation: Organisation,
    starts_at: datetime.datetime,
    duration_minutes: int,
    kind: str,
    capacity: int,
    remote: bool,
    place: str,
    link: str,
    certification: Certification | None,
    by: User,
) -> MeetingSlot:
    if starts_at <= timezone.now():
        raise RuleViolation("Le créneau doit commencer à une date et une heure à venir.", field="starts_at")
    if not MIN_MINUTES <= duration_minutes <= MAX_MINUTES:
        raise RuleViolation("La durée va de 15 minutes à 8 heures (480 minutes).", field="duration_minutes")
    if kind not in SlotKind.values:
        raise RuleViolation("Choisissez une réunion individuelle ou collective.", field="kind")
    if capacity < 1:
        raise RuleViolation("Un créneau a au moins une place.", field="capacity")
    if kind == SlotKind.INDIVIDUAL and capacity != 1:
        raise RuleViolation("Une réunion individuelle a une seule place.", field="capacity")
    if remote and not link.strip():
        raise RuleViolation("Indiquez le lien de connexion de la réunion à distance.", field="link")
    if not remote and not place.strip():
        raise RuleViolation("Indiquez le lieu ou l'adresse de la réunion.", field="place")
    return MeetingSlot.objects.create(
        evaluator_organisation=organisation,
        certification=certification,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        kind=kind,
        capacity=capacity,
        remote=remote,
        place="" if remote else place.strip(),
        link=link.strip() if remote else "",
        created_by=by,
    )


def _lock(slot: MeetingSlot) -> MeetingSlot:
    return MeetingSlot.objects.select_for_update().get(pk=slot.pk)


def _back_to_new(request: MeetingRequest) -> None:
    """The date held no more: the request waits for another one (call with the request locked)."""
    if request.is_open:
        request.status, request.proposed_for, request.reminded_at = RequestStatus.NEW, None, None
        request.save(update_fields=["status", "proposed_for", "reminded_at"])


@transaction.atomic
def cancel_slot(slot: MeetingSlot, *, by: User) -> int:
    """The meeting will not take place: every booked person is told and their request waits for a date."""
    slot = _lock(slot)
    if slot.cancelled_at:
        raise Conflict("Ce créneau est déjà annulé.")
    if slot.starts_at <= timezone.now():
        raise Conflict("Ce créneau est commencé ou passé : notez plutôt les présences.")
    slot.cancelled_at, slot.cancelled_by = timezone.now(), by
    slot.save(update_fields=["cancelled_at", "cancelled_by"])
    bookings = list(slot.bookings.filter(cancelled_at__isnull=True).values_list("request_id", flat=True))
    for request in MeetingRequest.objects.select_for_update().filter(pk__in=bookings).order_by("pk"):
        booking = release_booking(request, by=by)
        if booking is not None and booking.slot_id == slot.pk:
            _back_to_new(request)
            mails.slot_cancelled(booking)
    return len(bookings)


@transaction.atomic
def delete_slot(slot: MeetingSlot, *, by: User) -> None:
    """A slot nobody ever booked goes away; one with bookings keeps its story and can only be cancelled."""
    slot = _lock(slot)
    if slot.bookings.exists():
        raise Conflict("Ce créneau a des réservations : il ne peut pas être supprimé, seulement annulé.")
    slot.delete()


@transaction.atomic
def book(request: MeetingRequest, slot: MeetingSlot, *, by: User | None) -> MeetingBooking:
    """``by`` is the organisation's member, or None for the person from their link. A booking on another
    slot moves; a full slot refuses and nothing is written (the slot's row is locked while counting)."""
    slot = _lock(slot)  # the slot first, then the request: the order cancel_slot takes (no deadlock)
    request = lock_open_request(request)
    if slot.evaluator_organisation_id != request.evaluator_organisation_id:
        raise RuleViolation("Ce créneau n'est pas proposé par l'organisme de la demande.", field="slot")
    if slot.cancelled_at:
        raise RuleViolation("Ce créneau est annulé : choisissez-en un autre.", field="slot")
    if slot.starts_at <= timezone.now():
        raise RuleViolation("Ce créneau est commencé ou passé : choisissez-en un autre.", field="slot")
    if slot.certification_id and request.certification_id and slot.certification_id != request.certification_id:
        raise RuleViolation(f"Ce créneau est réservé à la certification {slot.certification}.", field="slot")
    current = pending_booking(request)
    if current is not None and current.slot_id == slot.pk:
        return current  # already there: nothing changes, no new e-mail
    if slot.bookings.filter(cancelled_at__isnull=True).count() >= slot.capacity:
        raise RuleViolation(FULL, field="slot")
    release_booking(request, by=by)
    booking = MeetingBooking.objects.create(slot=slot, request=request, booked_by=by)
    request.status, request.proposed_for, request.reminded_at = RequestStatus.PROPOSED, slot.starts_at, None
    fields = ["status", "proposed_for", "reminded_at"]
    if by is not None:
        request.handled_by = by
        fields.append("handled_by")
    request.save(update_fields=fields)
    mails.slot_booked(booking)
    return booking


@transaction.atomic
def cancel_by_person(request: MeetingRequest) -> None:
    """From their link: the person will not come. The request stays open; the organisation is told."""
    request = lock_open_request(request)
    if request.status != RequestStatus.PROPOSED:
        raise Conflict("Aucune réunion n'est prévue pour cette demande.")
    when = request.proposed_for
    release_booking(request, by=None)
    _back_to_new(request)
    mails.cancelled_by_person(request, when)


@transaction.atomic
def record_attendance(slot: MeetingSlot, marks: Mapping[uuid.UUID, str], *, by: User) -> int:
    """Note who came, once the meeting has started. A changed value is a new mark (who, when) and the
    earlier ones stay: a correction never erases what was noted. Returns how many marks were written."""
    slot = _lock(slot)
    if slot.cancelled_at:
        raise Conflict("Ce créneau est annulé : il n'y a pas de présences à noter.")
    if slot.starts_at > timezone.now():
        raise RuleViolation("Les présences se notent une fois la réunion commencée.")
    held = {b.public_id: b for b in slot.held()}
    if set(marks) - set(held):
        raise RuleViolation("Une des personnes n'est pas inscrite sur ce créneau : rechargez la page.")
    if any(value not in Attendance.values for value in marks.values()):
        raise RuleViolation("Indiquez « présent » ou « absent » pour chaque personne.")
    written = 0
    for public_id, value in marks.items():
        booking = held[public_id]
        if booking.attendance == value:
            continue
        AttendanceMark.objects.create(booking=booking, attendance=value, recorded_by=by)
        booking.attendance = value
        booking.save(update_fields=["attendance"])
        written += 1
    return written
