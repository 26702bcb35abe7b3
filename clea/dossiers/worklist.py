"""The evaluator organisation's queue: its dossiers by next step, the 5-year limits close, transfers."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from clea.dossiers.deadlines import REMINDER_MONTHS, warning_horizon
from clea.dossiers.models import Dossier, TransferRequest, TransferStatus
from clea.dossiers.workflow import State
from clea.lib.roles import OrganisationKind
from clea.lib.worklist import Item, Queue, queue

# What the evaluator does next, per state (the states where the jury has the dossier are not theirs).
NEXT_STEPS: dict[State, str] = {
    State.INFORMATION: "Ouverts : réunion d'information et évaluation préalable à faire",
    State.INITIAL_ASSESSMENT: "Évaluation préalable en cours",
    State.TRAINING: "En formation : évaluation finale à prévoir",
    State.FINAL_ASSESSMENT: "Évaluation finale en cours",
    State.READY_FOR_JURY: "Prêts : à présenter au jury",
    State.ADJOURNED: "Ajournés par le jury : à reprendre",
}
URGENT_STEPS = {State.READY_FOR_JURY, State.ADJOURNED}


def list_url(**filters: str) -> str:
    """The dossier list with one filter set (``dossiers.views.dossier_list`` keeps it in the session)."""
    return f"{reverse('dossiers:list')}?{urlencode(filters)}"


@queue(10)
def evaluator_queue(user, current, today) -> Queue | None:
    organisation = current.organisation
    if organisation is None or organisation.kind != OrganisationKind.EVALUATOR:
        return None
    mine = Dossier.objects.filter(evaluator_organisation=organisation)
    by_state = dict(mine.filter(state__in=list(NEXT_STEPS)).order_by().values_list("state").annotate(n=Count("pk")))
    close_to_limit = mine.open().deadline_before(warning_horizon(today)).count()  # as the list's filter
    # The holder answers a transfer request, on the dossier's page: the oldest one is linked.
    transfers = TransferRequest.objects.filter(
        dossier__evaluator_organisation=organisation, status=TransferStatus.PENDING
    )
    oldest = transfers.order_by("requested_at", "pk").values_list("dossier__public_id", flat=True).first()
    items = [
        Item(label, by_state.get(state, 0), list_url(etat=state), urgent=state in URGENT_STEPS)
        for state, label in NEXT_STEPS.items()
    ]
    items.append(
        Item(
            f"Limite des 5 ans dans moins de {REMINDER_MONTHS[0]} mois",
            close_to_limit,
            list_url(echeance="1"),
            urgent=bool(close_to_limit),
        )
    )
    if oldest is not None:
        count = transfers.count()
        url = reverse("dossiers:detail", args=[oldest])
        items.append(
            Item("Demandes de transfert à accepter ou refuser", count, url, urgent=True, detail="la plus ancienne")
        )
    return Queue(
        "Vos dossiers", items, empty="Aucun dossier en cours.", action=("Tous les dossiers", reverse("dossiers:list"))
    )
