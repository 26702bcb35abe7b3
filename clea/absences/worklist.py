"""The employer's queue: absence requests to answer, the closest answer-by date first."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.formats import date_format

from clea.absences.models import AbsenceRequest, AbsenceStatus
from clea.absences.permissions import employer_organisations
from clea.lib.worklist import Item, Queue, queue

SHOWN = 5
URGENT_DAYS = 7  # an answer due within a week is flagged


@queue(10)
def absences_to_answer(user, current, today) -> Queue | None:
    organisation = current.organisation
    if organisation is None or organisation not in employer_organisations(user):
        return None
    pending = AbsenceRequest.objects.filter(employer=organisation, status=AbsenceStatus.PENDING)
    first = list(pending.select_related("dossier__candidate").order_by("answer_due", "pk")[:SHOWN])
    total = len(first) if len(first) < SHOWN else pending.count()
    items = [
        Item(
            f"{absence.dossier.candidate.full_name} : absence du {date_format(absence.start_date)} "
            f"au {date_format(absence.end_date)}",
            1,
            reverse("absences:answer", args=[absence.public_id]),
            urgent=absence.answer_due <= today + datetime.timedelta(days=URGENT_DAYS),
            detail=f"répondre au plus tard le {date_format(absence.answer_due)}",
        )
        for absence in first
    ]
    if total > len(first):
        items.append(Item("Autres demandes en attente", total - len(first), reverse("absences:list")))
    return Queue(
        "Demandes d'autorisation d'absence à traiter",
        items,
        empty="Aucune demande en attente de votre réponse.",
        action=("Toutes les demandes", reverse("absences:list")),
    )
