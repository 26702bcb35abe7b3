"""The reminder the day before the meeting, to the person (daily task ``meetings.tasks``).

Each reminder is marked (``reminded_at``) and queued in one transaction with the row locked: a second
run, or two runs at once, send nothing twice. A run missed the day before still reminds on the day.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from clea.meetings import mails
from clea.meetings.models import OPEN_STATUSES, MeetingBooking, MeetingRequest, RequestStatus

PENDING = {"cancelled_at__isnull": True, "attendance": ""}


def _until(now: datetime.datetime) -> datetime.datetime:
    """The end of tomorrow, local time: meetings starting before it are reminded now."""
    day_after = timezone.localtime(now).date() + datetime.timedelta(days=2)
    return datetime.datetime.combine(day_after, datetime.time(), tzinfo=timezone.get_current_timezone())


def send_reminders(now: datetime.datetime) -> int:
    until = _until(now)
    sent = 0
    bookings = MeetingBooking.objects.filter(
        **PENDING,
        reminded_at__isnull=True,
        slot__cancelled_at__isnull=True,
        slot__starts_at__gt=now,
        slot__starts_at__lt=until,
        request__status__in=OPEN_STATUSES,
    ).exclude(request__email="")
    for pk in bookings.values_list("pk", flat=True):
        with transaction.atomic():
            booking = MeetingBooking.objects.select_for_update().select_related("slot", "request").get(pk=pk)
            if booking.reminded_at is not None or booking.cancelled_at is not None:
                continue  # another run got there first, or the person moved meanwhile
            booking.reminded_at = timezone.now()
            booking.save(update_fields=["reminded_at"])
            mails.booking_reminder(booking)
            sent += 1
    # A date proposed outside the slots has no booking: the request carries its reminder.
    free_dates = (
        MeetingRequest.objects.filter(
            status=RequestStatus.PROPOSED, reminded_at__isnull=True, proposed_for__gt=now, proposed_for__lt=until
        )
        .exclude(email="")
        .exclude(Exists(MeetingBooking.objects.filter(request=OuterRef("pk"), **PENDING)))
    )
    for pk in free_dates.values_list("pk", flat=True):
        with transaction.atomic():
            request = MeetingRequest.objects.select_for_update().get(pk=pk)
            if request.reminded_at is not None or request.status != RequestStatus.PROPOSED or not request.proposed_for:
                continue
            request.reminded_at = timezone.now()
            request.save(update_fields=["reminded_at"])
            mails.date_reminder(request, request.proposed_for)
            sent += 1
    return sent
