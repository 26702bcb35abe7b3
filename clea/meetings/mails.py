"""E-mails to the person who asked for a meeting (no account: their address only) and to the organisation.

Each one carries the person's signed link (``links.person_link``) to choose, change or cancel their slot.
They are queued with ``notify``: nothing leaves for a change that is rolled back.
"""

from __future__ import annotations

import datetime

from clea.lib.roles import Role
from clea.meetings.links import person_link
from clea.meetings.models import MeetingBooking, MeetingRequest, MeetingSlot
from clea.notifications.sending import members, notify
from clea.organisations.models import Organisation

KIND = "meeting"  # to a plain address: no preference applies


def organisation_address(organisation: Organisation) -> str:
    commune = organisation.commune.name if organisation.commune else ""
    parts = [organisation.address_line1, " ".join(p for p in (organisation.postcode, commune) if p)]
    return ", ".join(p for p in parts if p)


def _organisation_address(request: MeetingRequest) -> str:
    return organisation_address(request.evaluator_organisation) or "à convenir avec l'organisme"


def _to_person(template: str, request: MeetingRequest, context: dict[str, object], key: str | None = None) -> None:
    if not request.email:
        return  # reached by phone: the organisation tells them itself
    context = {"organisation": request.evaluator_organisation.name, "link": person_link(request.public_id), **context}
    notify(KIND, template=template, context=context, emails=[request.email], key=key)


def _slot_context(slot: MeetingSlot) -> dict[str, object]:
    return {
        "when": slot.starts_at,
        "duration": slot.duration_minutes,
        "collective": slot.kind == "collective",
        "remote": slot.remote,
        "place": slot.place,
        "remote_link": slot.link,
    }


def request_received(request: MeetingRequest) -> None:
    _to_person("meeting_request_received", request, {})


def date_proposed(request: MeetingRequest) -> None:
    _to_person(
        "meeting_proposed",
        request,
        {"when": request.proposed_for, "remote": False, "place": _organisation_address(request)},
    )


def slot_booked(booking: MeetingBooking) -> None:
    _to_person("meeting_booked", booking.request, _slot_context(booking.slot), key=f"meeting-booked-{booking.pk}")


def slot_cancelled(booking: MeetingBooking) -> None:
    _to_person("meeting_slot_cancelled", booking.request, {"when": booking.slot.starts_at})


def booking_reminder(booking: MeetingBooking) -> None:
    _to_person(
        "meeting_reminder", booking.request, _slot_context(booking.slot), key=f"meeting-reminder-booking-{booking.pk}"
    )


def date_reminder(request: MeetingRequest, when: datetime.datetime) -> None:
    _to_person(
        "meeting_reminder",
        request,
        {"when": when, "remote": False, "place": _organisation_address(request)},
        key=f"meeting-reminder-request-{request.pk}-{when:%Y%m%d%H%M}",
    )


def cancelled_by_person(request: MeetingRequest, when: datetime.datetime | None) -> None:
    """The organisation learns at once that a place is free again (and may call the person back)."""
    organisation = request.evaluator_organisation
    notify(
        KIND,
        template="meeting_cancelled_by_person",
        context={"person": f"{request.first_name} {request.last_name}", "when": when},
        users=members(organisation, [Role.ADMIN, Role.EVALUATOR]),
        organisation=organisation,
    )
