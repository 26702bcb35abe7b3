"""Habilitation applications waiting: the certifier's to instruct, the organisation's to complete."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from clea.campaigns.models import Application, ApplicationState
from clea.campaigns.permissions import APPLYING_KINDS, can_run_campaigns
from clea.lib.roles import Role
from clea.lib.worklist import Item, Queue, queue


@queue(38)
def habilitation_applications(user, current, today) -> Queue | None:
    url = reverse("campaigns:list")
    if can_run_campaigns(user):
        pending = Application.objects.filter(state=ApplicationState.SUBMITTED).count()
        item = Item("Candidatures à l'habilitation à instruire", pending, url, urgent=bool(pending))
        return Queue("Candidatures à l'habilitation", [item], action=("Les campagnes", url))
    organisation = current.organisation if current else None
    if organisation is None or organisation.kind not in APPLYING_KINDS or not current.has_role(Role.ADMIN):
        return None
    counts = Application.objects.filter(organisation=organisation).aggregate(
        requested=Count("pk", filter=Q(state=ApplicationState.MORE_REQUESTED)),
        drafts=Count("pk", filter=Q(state=ApplicationState.DRAFT)),
    )
    items = [
        Item("Compléments demandés par le certificateur", counts["requested"], url, urgent=True),
        Item("Candidatures commencées, pas encore déposées", counts["drafts"], url),
    ]
    return Queue("Habilitation", items, empty="Aucune candidature en attente.", action=("Les campagnes", url))
