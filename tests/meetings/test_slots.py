"""Information-meeting slots (rule 10): the evaluator organisation publishes them, books people on them
from their request, cancels them, and notes afterwards who came."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from clea.lib.errors import Conflict, RuleViolation
from clea.meetings import services, slots
from clea.meetings.models import AttendanceMark, MeetingBooking, MeetingSlot
from tests.clock import NOW
from tests.meetings.conftest import at

pytestmark = pytest.mark.django_db


def slot_form(**overrides) -> dict:
    data = {
        "starts_at": at(3).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "90",
        "kind": "collective",
        "capacity": "8",
        "remote": "0",
        "place": "Salle 2, 2 rue de Paris, 35000 Rennes",
        "link": "",
        "certification": "",
    }
    data.update(overrides)
    return data


def test_the_organisation_publishes_a_slot_from_its_screens(client, cast, path_setting):
    client.force_login(cast.evaluator)
    assert reverse("meetings:slots") in client.get(reverse("meetings:list")).content.decode()
    assert client.get(reverse("meetings:slot_create")).status_code == 200
    response = client.post(reverse("meetings:slot_create"), slot_form())
    slot = MeetingSlot.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "meetings:slot_detail", args=[slot.public_id]
    )
    assert (slot.kind, slot.capacity, slot.created_by, slot.evaluator_organisation) == (
        "collective",
        8,
        cast.evaluator,
        cast.organisation,
    )
    listing = client.get(reverse("meetings:slots")).content.decode()
    assert reverse("meetings:slot_detail", args=[slot.public_id]) in listing and "0 sur 8" in listing


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"starts_at": (NOW - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")}, "date et une heure à venir"),
        ({"capacity": "0"}, "au moins une place"),
        ({"kind": "individual", "capacity": "3"}, "une seule place"),
        ({"duration_minutes": "5"}, "de 15 minutes à 8 heures"),
        ({"remote": "1", "link": ""}, "lien de connexion"),
        ({"place": ""}, "lieu ou l'adresse"),
    ],
    ids=["past", "no-place", "individual-for-three", "too-short", "remote-without-link", "nowhere"],
)
def test_a_slot_that_cannot_be_held_is_refused_plainly(client, cast, path_setting, overrides, message):
    client.force_login(cast.colleague)
    response = client.post(reverse("meetings:slot_create"), slot_form(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert "Le formulaire contient une erreur" in response.content.decode()
    assert not MeetingSlot.objects.exists()


def test_the_organisation_books_the_person_from_the_request_list(client, cast, publish):
    slot = publish()
    request = cast.meeting_request
    client.force_login(cast.evaluator)
    listing = client.get(reverse("meetings:list")).content.decode()
    assert reverse("meetings:book", args=[request.public_id]) in listing and str(slot.public_id) in listing
    client.post(reverse("meetings:book", args=[request.public_id]), {"slot": str(slot.public_id)})
    booking = MeetingBooking.objects.get()
    request.refresh_from_db()
    assert (booking.slot, booking.booked_by) == (slot, cast.evaluator)
    assert (request.status, request.proposed_for, request.handled_by) == ("proposed", slot.starts_at, cast.evaluator)
    assert "Créneau réservé" in client.get(reverse("meetings:list")).content.decode()


def test_a_full_slot_refuses_and_writes_nothing(cast, publish, ask):
    slot = publish(kind="individual", capacity=1)
    slots.book(cast.meeting_request, slot, by=cast.evaluator)
    other = ask()
    with pytest.raises(RuleViolation, match="complet"):
        slots.book(other, slot, by=cast.evaluator)
    other.refresh_from_db()
    assert (other.status, other.proposed_for) == ("new", None)
    assert slot.bookings.count() == 1


def test_a_full_slot_is_refused_on_the_list_with_its_reason(client, cast, publish, ask):
    slot = publish(capacity=1)
    slots.book(ask(), slot, by=cast.evaluator)
    client.force_login(cast.evaluator)
    response = client.post(
        reverse("meetings:book", args=[cast.meeting_request.public_id]), {"slot": str(slot.public_id)}, follow=True
    )
    assert "Ce créneau est complet" in response.content.decode()
    assert not cast.meeting_request.bookings.exists()


def test_rebooking_moves_the_one_booking_of_a_request(cast, publish):
    first, second = publish(), publish(starts_at=at(5))
    request = cast.meeting_request
    slots.book(request, first, by=cast.evaluator)
    slots.book(request, second, by=None)
    assert slots.book(request, second, by=None) == services.pending_booking(request)  # again: nothing moves
    old, new = MeetingBooking.objects.order_by("pk")
    assert (old.slot, old.cancelled_at is not None, new.slot, new.cancelled_at) == (first, True, second, None)
    request.refresh_from_db()
    assert request.proposed_for == second.starts_at
    assert MeetingSlot.objects.with_counts().get(pk=first.pk).booked == 0


def test_a_date_outside_the_slots_frees_the_place(cast, publish):
    slot = publish()
    slots.book(cast.meeting_request, slot, by=cast.evaluator)
    services.propose_meeting(cast.meeting_request, when=at(6, 9), by=cast.evaluator)
    assert services.pending_booking(cast.meeting_request) is None
    assert MeetingSlot.objects.with_counts().get(pk=slot.pk).booked == 0


def test_a_cancelled_or_past_slot_takes_no_booking(cast, publish):
    slot = publish()
    slots.cancel_slot(slot, by=cast.evaluator)
    with pytest.raises(RuleViolation, match="annulé"):
        slots.book(cast.meeting_request, slot, by=cast.evaluator)
    soon = publish(starts_at=NOW + datetime.timedelta(hours=1))
    with time_machine.travel(NOW + datetime.timedelta(hours=2)), pytest.raises(RuleViolation, match="passé"):
        slots.book(cast.meeting_request, soon, by=cast.evaluator)


def test_a_booked_slot_is_cancelled_not_deleted_and_the_people_are_told(client, cast, publish, outbox):
    slot = publish()
    slots.book(cast.meeting_request, slot, by=cast.evaluator)
    with pytest.raises(Conflict, match="seulement annulé"):
        slots.delete_slot(slot, by=cast.evaluator)
    client.force_login(cast.evaluator)
    response, sent = outbox(lambda: client.post(reverse("meetings:slot_cancel", args=[slot.public_id])))
    assert response.status_code == 302
    slot.refresh_from_db()
    assert slot.cancelled_at is not None and slot.cancelled_by == cast.evaluator
    [message] = sent
    assert message.to == ["karim.benali@exemple.fr"] and "annulée" in message.subject
    assert "/reunions/ma-reunion/" in message.body
    request = cast.meeting_request
    request.refresh_from_db()
    assert (request.status, request.proposed_for) == ("new", None)  # the request waits for another date


def test_a_slot_nobody_booked_can_be_deleted(client, cast, publish):
    slot = publish()
    client.force_login(cast.evaluator)
    response = client.post(reverse("meetings:slot_delete", args=[slot.public_id]))
    assert response["Location"] == reverse("meetings:slots")
    assert not MeetingSlot.objects.exists()


def test_attendance_is_noted_after_the_meeting_and_a_correction_keeps_the_first_mark(client, cast, publish, ask):
    slot = publish(starts_at=NOW + datetime.timedelta(hours=2))
    karim, nadia = cast.meeting_request, ask()
    for request in (karim, nadia):
        slots.book(request, slot, by=cast.evaluator)
    karim_booking, nadia_booking = slot.bookings.order_by("pk")
    with pytest.raises(RuleViolation, match="une fois la réunion commencée"):
        slots.record_attendance(slot, {karim_booking.public_id: "present"}, by=cast.evaluator)

    client.force_login(cast.evaluator)
    url = reverse("meetings:slot_attendance", args=[slot.public_id])
    with time_machine.travel(NOW + datetime.timedelta(hours=4)):
        home = client.get(reverse("pages:dashboard"))
        lines = {i.label: i.count for q in home.context["queues"] for i in q.items}
        assert lines["Réunions passées : présences à noter"] == 2
        assert (
            "Absent (ne s'est pas présenté)"
            in client.get(reverse("meetings:slot_detail", args=[slot.public_id])).content.decode()
        )
        client.post(
            url, {f"presence-{karim_booking.public_id}": "present", f"presence-{nadia_booking.public_id}": "absent"}
        )
        client.force_login(cast.colleague)
        client.post(url, {f"presence-{nadia_booking.public_id}": "present"})  # she was late, in fact
        client.post(url, {f"presence-{nadia_booking.public_id}": "present"})  # the same value: no new mark

    nadia_booking.refresh_from_db()
    assert nadia_booking.attendance == "present"
    marks = list(AttendanceMark.objects.filter(booking=nadia_booking).values_list("attendance", "recorded_by"))
    assert marks == [("absent", cast.evaluator.pk), ("present", cast.colleague.pk)]
    assert MeetingSlot.objects.with_counts().get(pk=slot.pk).no_shows == 0


def test_a_no_show_is_counted_and_the_request_stays_open_to_rebook(client, cast, publish):
    slot, later = publish(starts_at=NOW + datetime.timedelta(hours=1)), publish(starts_at=at(7))
    request = cast.meeting_request
    slots.book(request, slot, by=cast.evaluator)
    booking = services.pending_booking(request)
    with time_machine.travel(NOW + datetime.timedelta(hours=3)):
        slots.record_attendance(slot, {booking.public_id: "absent"}, by=cast.evaluator)
        assert MeetingSlot.objects.with_counts().get(pk=slot.pk).no_shows == 1
        request.refresh_from_db()
        assert request.is_open
        client.force_login(cast.evaluator)
        assert "ne s'est pas présentée" in client.get(reverse("meetings:list")).content.decode()
        slots.book(request, later, by=cast.evaluator)  # rebooked: the no-show stays on the first slot
    assert MeetingSlot.objects.with_counts().get(pk=slot.pk).no_shows == 1
    assert services.pending_booking(request).slot == later


def test_a_booking_moved_after_the_meeting_still_gets_its_attendance(cast, publish):
    slot, later = publish(starts_at=NOW + datetime.timedelta(hours=1)), publish(starts_at=at(7))
    slots.book(cast.meeting_request, slot, by=cast.evaluator)
    with time_machine.travel(NOW + datetime.timedelta(hours=3)):
        slots.book(cast.meeting_request, later, by=None)  # the person rebooked before the mark
        [held] = slot.held()
        slots.record_attendance(slot, {held.public_id: "absent"}, by=cast.evaluator)
    assert MeetingSlot.objects.with_counts().get(pk=slot.pk).no_shows == 1


def test_the_home_queue_shows_the_week_s_meetings(client, cast, publish):
    slot = publish()
    publish(starts_at=at(10))  # next week: not counted
    slots.book(cast.meeting_request, slot, by=cast.evaluator)
    client.force_login(cast.evaluator)
    home = client.get(reverse("pages:dashboard"))
    [week] = [i for q in home.context["queues"] for i in q.items if i.label.startswith("Réunions d'information")]
    assert (week.count, week.detail, week.url) == (1, "1 personne inscrite", reverse("meetings:slots"))


def test_another_organisation_never_reaches_the_slots(client, cast, publish):
    slot = publish()
    slots.book(cast.meeting_request, slot, by=cast.evaluator)
    client.force_login(cast.outsider)
    assert str(slot.public_id) not in client.get(reverse("meetings:slots")).content.decode()
    assert client.get(reverse("meetings:slot_detail", args=[slot.public_id])).status_code == 404
    for name in ("slot_cancel", "slot_delete", "slot_attendance"):
        assert client.post(reverse(f"meetings:{name}", args=[slot.public_id])).status_code == 404
    booked = reverse("meetings:book", args=[cast.meeting_request.public_id])
    assert client.post(booked, {"slot": str(slot.public_id)}).status_code == 404
    slot.refresh_from_db()
    assert slot.cancelled_at is None


def test_an_outsider_cannot_book_on_another_organisation_s_slot(client, cast, publish, path_setting):
    """The evaluator's own request, the outsider organisation's slot: the slot is not found."""
    theirs = slots.publish_slot(
        organisation=cast.outsider_organisation,
        starts_at=at(3),
        duration_minutes=60,
        kind="collective",
        capacity=5,
        remote=True,
        place="",
        link="https://visio.exemple.fr/x",
        certification=None,
        by=cast.outsider,
    )
    client.force_login(cast.evaluator)
    url = reverse("meetings:book", args=[cast.meeting_request.public_id])
    assert client.post(url, {"slot": str(theirs.public_id)}).status_code == 404
    with pytest.raises(RuleViolation, match="pas proposé par l'organisme"):
        slots.book(cast.meeting_request, theirs, by=cast.evaluator)
