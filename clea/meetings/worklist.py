"""The evaluator organisation's meeting requests to answer, on its home page."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

from clea.lib.worklist import Item, Queue, queue
from clea.meetings.models import MeetingRequest, RequestStatus
from clea.meetings.permissions import handling_organisation


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
    url = reverse("meetings:list")
    items = [
        Item("Demandes reçues : proposer une date de réunion", counts.get(RequestStatus.NEW, 0), url, urgent=True),
        Item(
            "Réunions proposées : ouvrir le dossier si la personne le veut", counts.get(RequestStatus.PROPOSED, 0), url
        ),
    ]
    return Queue("Demandes de réunion d'information", items, action=("Toutes les demandes", url))
