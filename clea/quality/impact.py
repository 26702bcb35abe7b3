"""What a suspension or a withdrawal does to an organisation's open dossiers, shown before it is confirmed.

From its effective day, the organisation can record no evaluation for the certification (unless another of
its habilitations still covers its region), cannot be chosen by prescribers nor found in the directory.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count

from clea.dossiers.models import Dossier
from clea.dossiers.workflow import STATE_LABELS, State
from clea.organisations.models import Habilitation


@dataclass(frozen=True)
class Impact:
    effective_on: datetime.date
    open_dossiers: int
    by_state: list[tuple[str, int]]
    other_habilitations: list[Habilitation]


def impact_of_measure(habilitation: Habilitation, effective_on: datetime.date) -> Impact:
    """Open dossiers of the organisation for this certification, counted per state in one query."""
    rows = (
        Dossier.objects.open()
        .filter(evaluator_organisation=habilitation.organisation_id, certification=habilitation.certification_id)
        .values("state")
        .annotate(count=Count("pk"))
        .order_by("state")
    )
    by_state = [(STATE_LABELS[State(row["state"])], row["count"]) for row in rows]
    others = list(
        Habilitation.objects.valid_on(effective_on)
        .filter(organisation=habilitation.organisation_id, certification=habilitation.certification_id)
        .exclude(pk=habilitation.pk)
        .prefetch_related("regions")
    )
    return Impact(effective_on, sum(count for _, count in by_state), by_state, others)
