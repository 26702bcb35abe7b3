"""The day before the meeting, one reminder to the person: a daily task that never sends twice."""

import datetime

import pytest
import time_machine

from clea.lib.daily import daily_tasks
from clea.meetings import services, slots
from clea.meetings.models import MeetingBooking
from clea.meetings.tasks import meeting_reminders
from tests.meetings.conftest import at

pytestmark = pytest.mark.django_db


def night_before(slot_or_when) -> datetime.datetime:
    when = getattr(slot_or_when, "starts_at", slot_or_when)
    return (when - datetime.timedelta(days=1)).replace(hour=2, minute=30)


def run(outbox, when):
    with time_machine.travel(when, tick=False):
        return outbox(meeting_reminders.call)


def test_the_reminder_goes_the_day_before_and_only_once(cast, publish, outbox):
    slot = publish(starts_at=at(3, 9))
    slots.book(cast.meeting_request, slot, by=cast.evaluator)
    assert run(outbox, night_before(slot) - datetime.timedelta(days=1)) == (0, [])  # two days before: not yet

    count, [message] = run(outbox, night_before(slot))
    assert count == 1 and message.to == ["karim.benali@exemple.fr"]
    assert message.subject.startswith("[CléA] Rappel") and "30 novembre 2026 à 09:00" in message.body
    assert "/reunions/ma-reunion/" in message.body
    booking = MeetingBooking.objects.get()
    assert booking.reminded_at is not None

    assert run(outbox, night_before(slot) + datetime.timedelta(hours=3)) == (0, [])  # a second run, same day
    assert run(outbox, slot.starts_at - datetime.timedelta(hours=1)) == (0, [])  # on the day


def test_a_missed_run_still_reminds_on_the_day(cast, publish, outbox):
    slot = publish(starts_at=at(3, 15))
    slots.book(cast.meeting_request, slot, by=cast.evaluator)
    count, _ = run(outbox, slot.starts_at.replace(hour=2))
    assert count == 1


def test_no_reminder_for_a_cancelled_slot_a_moved_booking_or_a_closed_request(cast, publish, ask, outbox):
    cancelled, moved_from, moved_to = (
        publish(starts_at=at(3, 9)),
        publish(starts_at=at(3, 11)),
        publish(starts_at=at(8)),
    )
    slots.book(cast.meeting_request, cancelled, by=cast.evaluator)
    slots.cancel_slot(cancelled, by=cast.evaluator)
    nadia = ask()
    slots.book(nadia, moved_from, by=None)
    slots.book(nadia, moved_to, by=None)
    closed = ask(first_name="Paul", email="paul@exemple.fr")
    slots.book(closed, moved_from, by=None)
    services.close_request(closed, by=cast.evaluator)
    assert run(outbox, night_before(moved_from)) == (0, [])


def test_a_date_proposed_outside_the_slots_is_reminded_once_per_date(cast, outbox):
    request = cast.meeting_request
    services.propose_meeting(request, when=at(3, 10), by=cast.evaluator)
    count, [message] = run(outbox, night_before(at(3, 10)))
    assert count == 1 and "Rappel" in message.subject
    assert run(outbox, night_before(at(3, 10)) + datetime.timedelta(hours=1)) == (0, [])
    services.propose_meeting(request, when=at(6, 10), by=cast.evaluator)  # moved: a new reminder is due
    assert run(outbox, night_before(at(6, 10)))[0] == 1


def test_the_reminder_is_a_daily_task():
    assert meeting_reminders.name in [task.name for task in daily_tasks()]
