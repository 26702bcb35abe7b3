"""Jury queues: the organiser's sessions to prepare and to close, the member's next sittings."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import date_format

from clea.dossiers.models import Dossier
from clea.dossiers.workflow import State
from clea.geography.models import Commune
from clea.jury.models import JurySession, SessionStatus
from clea.jury.permissions import organiser_organisations
from clea.lib.worklist import Item, Queue, queue

NEXT_SITTINGS = 3


@queue(10)
def organiser_queue(user, current, today) -> Queue | None:
    organisation = current.organisation
    if organisation is None or organisation not in organiser_organisations(user):
        return None
    planned = JurySession.objects.filter(organiser=organisation, status=SessionStatus.PLANNED)
    counts = planned.aggregate(
        coming=Count("pk", filter=Q(date__gt=today)),
        today=Count("pk", filter=Q(date=today)),
        to_close=Count("pk", filter=Q(date__lt=today)),
    )
    url = reverse("jury:list")
    items = [
        Item("Sessions passées : procès-verbal à signer pour clore", counts["to_close"], url, urgent=True),
        Item("Sessions du jour : présences et décisions", counts["today"], url, urgent=True),
        Item("Sessions à venir : membres et dossiers à préparer", counts["coming"], url),
    ]
    region = Commune.objects.filter(pk=organisation.commune_id).values_list("departement__region", flat=True).first()
    if region is not None:
        waiting = Dossier.objects.filter(
            state__in=[State.AWAITING_JURY, State.ADJOURNED],
            evaluator_organisation__commune__departement__region=region,
        ).count()
        items.append(Item("Dossiers en attente de jury dans votre région", waiting, url))
    return Queue("Sessions de jury", items, action=("Planifier une session", reverse("jury:create")))


@queue(30)
def member_queue(user, current, today) -> Queue | None:
    sittings = list(
        JurySession.objects.filter(members__user=user, status=SessionStatus.PLANNED, date__gte=today)
        .select_related("region")
        .order_by("date", "pk")[:NEXT_SITTINGS]
    )
    if not sittings:
        return None
    items = [
        Item(
            f"Jury du {date_format(s.date)}" + (f" à {s.start:%H:%M}" if s.start else ""),
            1,
            reverse("jury:detail", args=[s.public_id]),
            urgent=s.date == today,
            detail="à distance" if s.remote else (s.place or s.region.name),
        )
        for s in sittings
    ]
    return Queue("Vos prochains jurys", items)
