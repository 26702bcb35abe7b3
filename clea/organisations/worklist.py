"""The certifier's habilitations ending soon (to renew or let end)."""

from __future__ import annotations

import datetime

from django.urls import reverse

from clea.accounts.memberships import is_certifier
from clea.lib.worklist import Item, Queue, queue
from clea.organisations.models import Habilitation

ENDING_DAYS = 90


@queue(40)
def habilitations_ending(user, current, today) -> Queue | None:
    if not is_certifier(user):
        return None
    ending = (
        Habilitation.objects.not_withdrawn(today)
        .filter(
            valid_until__gte=today,
            valid_until__lte=today + datetime.timedelta(days=ENDING_DAYS),
        )
        .count()
    )
    url = reverse("organisations:list")
    item = Item(f"Habilitations qui finissent dans les {ENDING_DAYS} jours", ending, url, urgent=bool(ending))
    return Queue("Habilitations", [item], action=("Les organisations", url))
