"""What every dossier screen shows around its content: steps, deadline, available actions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from clea.dossiers.deadlines import warning_horizon
from clea.dossiers.permissions import can_work_on_dossier
from clea.dossiers.workflow import ALLOWED, Action, State

STEPS = ["Réunion d'information", "Évaluation préalable", "Parcours de formation", "Évaluation finale", "Jury"]
STEP_OF_STATE = {
    State.INFORMATION: 1,
    State.INITIAL_ASSESSMENT: 2,
    State.TRAINING: 3,
    State.FINAL_ASSESSMENT: 4,
    State.READY_FOR_JURY: 5,
    State.AWAITING_JURY: 5,
    State.AT_JURY: 5,
    State.CERTIFIED: 5,
    State.NOT_CERTIFIED: 5,
    State.ADJOURNED: 5,
    State.WITHDRAWN: 0,
    State.CLOSED: 0,
    State.EXPIRED: 0,
}


@dataclass(frozen=True)
class DossierFrame:
    step: int
    step_title: str
    next_step_title: str
    deadline: datetime.date | None
    days_left: int | None
    deadline_warning: bool
    can_work: bool
    allowed: frozenset[Action]


def frame(dossier, user, today: datetime.date) -> DossierFrame:
    step = STEP_OF_STATE[State(dossier.state)]
    days_left = (dossier.deadline - today).days if dossier.deadline else None
    warning = bool(dossier.deadline and dossier.deadline <= warning_horizon(today) and dossier.is_open)
    can_work = can_work_on_dossier(user, dossier)
    allowed = (
        frozenset(a for a, states in ALLOWED.items() if State(dossier.state) in states) if can_work else frozenset()
    )
    return DossierFrame(
        step=step,
        step_title=STEPS[step - 1] if step else dossier.state_label,
        next_step_title=STEPS[step] if 0 < step < len(STEPS) else "",
        deadline=dossier.deadline,
        days_left=days_left,
        deadline_warning=warning,
        can_work=can_work,
        allowed=allowed,
    )
