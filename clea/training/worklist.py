"""The training organisation's queue: its paths under way, those ending or ended to report on."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.urls import reverse

from clea.dossiers.workflow import State
from clea.lib.roles import OrganisationKind
from clea.lib.worklist import Item, Queue, queue
from clea.training.models import TrainingPath

ENDING_DAYS = 30


@queue(10)
def training_queue(user, current, today) -> Queue | None:
    organisation = current.organisation
    if organisation is None or organisation.kind != OrganisationKind.TRAINING:
        return None
    soon = today + datetime.timedelta(days=ENDING_DAYS)
    counts = TrainingPath.objects.filter(training_organisation=organisation, dossier__state=State.TRAINING).aggregate(
        running=Count("pk"),
        mine=Count("pk", filter=Q(trainer=user)),
        ending=Count("pk", filter=Q(end_date__gte=today, end_date__lte=soon)),
        ended=Count("pk", filter=Q(end_date__lt=today)),
    )
    url = reverse("dossiers:list")
    items = [
        Item("Parcours terminés : noter l'avancement pour l'évaluation finale", counts["ended"], url, urgent=True),
        Item(f"Parcours qui finissent dans les {ENDING_DAYS} jours", counts["ending"], url, urgent=True),
        Item("Parcours en cours", counts["running"], url),
        Item("Dont ceux que vous suivez", counts["mine"], url),
    ]
    return Queue("Parcours de formation", items, empty="Aucun parcours en cours.", action=("Les dossiers", url))
