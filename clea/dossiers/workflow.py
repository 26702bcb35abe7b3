"""The dossier's lifecycle as an explicit transition table (pure: no ORM).

Services ask ``check(state, action)`` before writing; a refused action carries a French reason that
the UI shows and the API returns with HTTP 409.
"""

from __future__ import annotations

from enum import StrEnum

from clea.lib.errors import Conflict


class State(StrEnum):
    INFORMATION = "information"
    INITIAL_ASSESSMENT = "initial_assessment"
    TRAINING = "training"
    FINAL_ASSESSMENT = "final_assessment"
    READY_FOR_JURY = "ready_for_jury"
    AWAITING_JURY = "awaiting_jury"
    AT_JURY = "at_jury"
    CERTIFIED = "certified"
    NOT_CERTIFIED = "not_certified"
    ADJOURNED = "adjourned"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"
    EXPIRED = "expired"


STATE_LABELS: dict[State, str] = {
    State.INFORMATION: "Information",
    State.INITIAL_ASSESSMENT: "Évaluation préalable",
    State.TRAINING: "Parcours de formation",
    State.FINAL_ASSESSMENT: "Évaluation finale",
    State.READY_FOR_JURY: "Prêt pour le jury",
    State.AWAITING_JURY: "Présenté au jury",
    State.AT_JURY: "En jury",
    State.CERTIFIED: "Certifié",
    State.NOT_CERTIFIED: "Non certifié",
    State.ADJOURNED: "Ajourné",
    State.WITHDRAWN: "Abandon du candidat",
    State.CLOSED: "Clôturé sans certification",
    State.EXPIRED: "Expiré (délai de 5 ans dépassé)",
}

OPEN_STATES = frozenset(
    {
        State.INFORMATION,
        State.INITIAL_ASSESSMENT,
        State.TRAINING,
        State.FINAL_ASSESSMENT,
        State.READY_FOR_JURY,
        State.AWAITING_JURY,
        State.AT_JURY,
        State.ADJOURNED,
    }
)
# States in which the evaluator organisation still works on the path (the jury has not got it).
WORKING_STATES = frozenset(
    {State.INFORMATION, State.INITIAL_ASSESSMENT, State.TRAINING, State.FINAL_ASSESSMENT, State.READY_FOR_JURY}
)


class Action(StrEnum):
    RECORD_MEETING = "record_meeting"
    START_INITIAL = "start_initial"
    CLOSE_INITIAL = "close_initial"
    PROPOSE_TRAINING = "propose_training"
    START_FINAL = "start_final"
    CLOSE_FINAL = "close_final"
    SUBMIT_TO_JURY = "submit_to_jury"
    WITHDRAW = "withdraw"
    CLOSE = "close"
    EXPIRE = "expire"
    TRANSFER = "transfer"
    PUT_ON_SESSION = "put_on_session"
    DECIDE = "decide"


ALLOWED: dict[Action, frozenset[State]] = {
    Action.RECORD_MEETING: frozenset({State.INFORMATION}),
    Action.START_INITIAL: frozenset({State.INFORMATION}),
    Action.CLOSE_INITIAL: frozenset({State.INITIAL_ASSESSMENT}),
    Action.PROPOSE_TRAINING: frozenset({State.TRAINING}),
    Action.START_FINAL: frozenset({State.TRAINING}),
    Action.CLOSE_FINAL: frozenset({State.FINAL_ASSESSMENT}),
    Action.SUBMIT_TO_JURY: frozenset({State.READY_FOR_JURY}),
    Action.WITHDRAW: WORKING_STATES,
    Action.CLOSE: frozenset({State.TRAINING, State.FINAL_ASSESSMENT}),
    Action.EXPIRE: frozenset({State.TRAINING, State.FINAL_ASSESSMENT}),
    Action.TRANSFER: WORKING_STATES,
    Action.PUT_ON_SESSION: frozenset({State.AWAITING_JURY, State.ADJOURNED}),
    Action.DECIDE: frozenset({State.AT_JURY}),
}

REFUSALS: dict[Action, str] = {
    Action.RECORD_MEETING: "La réunion d'information se tient avant l'évaluation préalable.",
    Action.START_INITIAL: "L'évaluation préalable a déjà commencé ou le dossier n'est plus ouvert.",
    Action.CLOSE_INITIAL: "Aucune évaluation préalable en cours sur ce dossier.",
    Action.PROPOSE_TRAINING: "Un parcours de formation se propose après une évaluation qui a montré des manques.",
    Action.START_FINAL: "L'évaluation finale suit une évaluation préalable clôturée et un parcours de formation.",
    Action.CLOSE_FINAL: "Aucune évaluation finale en cours sur ce dossier.",
    Action.SUBMIT_TO_JURY: "Seul un dossier dont tous les domaines sont acquis peut être présenté au jury.",
    Action.WITHDRAW: "Ce dossier n'est plus entre les mains de l'organisme évaluateur.",
    Action.CLOSE: "Seul un dossier en formation ou en évaluation finale peut être clôturé ainsi.",
    Action.EXPIRE: "Seul un dossier en cours de parcours peut expirer.",
    Action.TRANSFER: "Ce dossier ne peut plus être transféré.",
    Action.PUT_ON_SESSION: "Seul un dossier présenté au jury (ou ajourné) peut être inscrit à une session.",
    Action.DECIDE: "Ce dossier n'est pas en délibération.",
}


class TransitionRefused(Conflict):
    """An action that the dossier's current state does not allow; ``str()`` is the French reason."""


def allows(state: str, action: Action) -> bool:
    return State(state) in ALLOWED[action]


def check(state: str, action: Action) -> None:
    if not allows(state, action):
        raise TransitionRefused(f"{REFUSALS[action]} (état actuel : {STATE_LABELS[State(state)]}.)")
