"""The evaluator organisation's meeting requests to answer, its week's meetings and the attendance to
note, on its home page (three queries, on the organisation's indexes)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from clea.lib.plurals import ngettext
from clea.lib.worklist import Item, Queue, queue
from clea.meetings.models import HELD, MeetingBooking, MeetingRequest, MeetingSlot, RequestStatus
from clea.meetings.permissions import handling_organisation

WEEK = datetime.timedelta(days=7)


@queue(15)
def meeting_requests(user, current, today) -> Queue | None:
    organisation = handling_organisation(user, current)
    if organisation is None:
        return None
    counts = dict(
        MeetingRequest.objects.filter(
            evaluator_organisation=organisation, status__in=[RequestStatus.NEW, RequestStatus.PROPOSED]
        )
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    now = timezone.now()
    week = MeetingSlot.objects.filter(
        evaluator_organisation=organisation, cancelled_at__isnull=True, starts_at__gte=now, starts_at__lt=now + WEEK
    ).aggregate(
        slots=Count("pk", distinct=True),
        booked=Count("bookings", filter=Q(bookings__cancelled_at__isnull=True), distinct=True),
    )
    unmarked = MeetingBooking.objects.filter(
        HELD,
        slot__evaluator_organisation=organisation,
        slot__cancelled_at__isnull=True,
        slot__starts_at__lte=now,
        attendance="",
    ).count()
    url, slots_url = reverse("meetings:list"), reverse("meetings:slots")
    booked = week["booked"]
    items = [
        Item("Demandes reçues : proposer une date de réunion", counts.get(RequestStatus.NEW, 0), url, urgent=True),
        Item(
            "Réunions proposées : ouvrir le dossier si la personne le veut", counts.get(RequestStatus.PROPOSED, 0), url
        ),
        Item(
            "Réunions d'information des 7 prochains jours",
            week["slots"],
            slots_url,
            detail=ngettext("%d personne inscrite", "%d personnes inscrites", booked) % booked,
        ),
        Item("Réunions passées : présences à noter", unmarked, slots_url, urgent=True),
    ]
    return Queue("Demandes de réunion d'information", items, action=("Toutes les demandes", url))
