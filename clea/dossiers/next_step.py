"""The dossier page leads: one next step from the workflow, the other actions after it, the
irreversible ones apart (each opens a page that asks for the reason before anything changes).

``plan`` is pure (facts in, action keys out) so the choice is tested state by state; ``dossier_actions``
turns the keys into labelled links for the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from clea.dossiers.workflow import Action, State


@dataclass(frozen=True)
class Facts:
    state: str
    allowed: frozenset[Action]
    open_evaluation: str = ""  # "initial" or "final" when one is under way
    meetings: int = 0
    paths: int = 0
    closed_finals: int = 0
    has_results: bool = False
    certified: bool = False
    can_fund: bool = False
    can_ask_absence: bool = False
    can_invite: bool = False


@dataclass(frozen=True)
class Plan:
    primary: str | None
    others: tuple[str, ...]
    irreversible: tuple[str, ...]


# What the evaluator waits for when nothing is theirs to do (the jury has the dossier, or it is over).
WAITING: dict[str, str] = {
    State.AWAITING_JURY: "Le dossier attend une session de jury de la région.",
    State.AT_JURY: "Le dossier est en délibération : le jury décide.",
    State.CERTIFIED: "Le candidat est certifié : le certificat lui est envoyé par la poste.",
    State.NOT_CERTIFIED: "Le jury n'a pas délivré la certification.",
    State.WITHDRAWN: "Le candidat a abandonné : le dossier est fermé.",
    State.CLOSED: "Le dossier est clôturé sans certification.",
    State.EXPIRED: "Le délai de 5 ans est dépassé : le dossier est fermé.",
}


def needs_path(facts: Facts) -> bool:
    """A path is proposed after the préalable, and again after a finale that left gaps (one finale per path)."""
    return Action.PROPOSE_TRAINING in facts.allowed and facts.paths <= facts.closed_finals


def plan(facts: Facts) -> Plan:
    allowed = facts.allowed
    candidates: list[str] = []
    if facts.open_evaluation:
        candidates.append(f"continue_{facts.open_evaluation}")
    if Action.RECORD_MEETING in allowed and not facts.meetings:
        candidates.append("record_meeting")
    if Action.START_INITIAL in allowed:
        candidates.append("start_initial")
    if needs_path(facts):
        candidates.append("propose_training")
    if Action.START_FINAL in allowed and facts.paths and not needs_path(facts):
        candidates.append("start_final")
    if Action.SUBMIT_TO_JURY in allowed:
        candidates.append("submit_to_jury")
    primary = candidates[0] if candidates else None
    others = [key for key in candidates[1:] if key != "record_meeting"]
    if Action.RECORD_MEETING in allowed and facts.meetings:
        others.append("record_meeting")  # another meeting may be noted, it is no longer the next step
    if facts.has_results:
        others.append("results")
        if not facts.certified:
            others.append("skills_record")
    if facts.can_fund:
        others.append("add_funding")
    if facts.can_ask_absence:
        others.append("ask_absence")
    if facts.can_invite:
        others.append("invite")
    stops = (("close", Action.CLOSE), ("withdraw", Action.WITHDRAW))
    irreversible = tuple(key for key, action in stops if action in allowed)
    return Plan(primary, tuple(others), irreversible)


@dataclass(frozen=True)
class Link:
    key: str
    label: str
    url: str
    post: bool = False  # a form's button (the candidate's invitation is sent at once)


def _links(dossier, open_evaluation_id) -> dict[str, tuple[str, str, bool]]:
    pid = dossier.public_id
    grid = reverse("evaluations:grid", args=[pid, open_evaluation_id]) if open_evaluation_id else ""
    return {
        "continue_initial": ("Continuer l'évaluation préalable", grid, False),
        "continue_final": ("Continuer l'évaluation finale", grid, False),
        "record_meeting": ("Noter la réunion d'information", reverse("dossiers:meeting", args=[pid]), False),
        "start_initial": (
            "Commencer l'évaluation préalable",
            reverse("evaluations:start", args=[pid, "prealable"]),
            False,
        ),
        "propose_training": (
            "Proposer un parcours de formation",
            reverse("training:path_create", args=[pid]),
            False,
        ),
        "start_final": ("Commencer l'évaluation finale", reverse("evaluations:start", args=[pid, "finale"]), False),
        "submit_to_jury": ("Présenter au jury", reverse("dossiers:submit", args=[pid]), False),
        "results": ("Résultats pour le candidat", reverse("evaluations:results", args=[pid]), False),
        "skills_record": (
            "Attestation de compétences acquises (PDF)",
            reverse("certificates:skills_record", args=[pid]),
            False,
        ),
        "add_funding": ("Ajouter un financement", reverse("funding:create", args=[pid]), False),
        "ask_absence": ("Demande d'absence à l'employeur", reverse("absences:create", args=[pid]), False),
        "invite": ("Inviter le candidat à son espace", reverse("candidates:invite", args=[pid]), True),
        "close": ("Clôturer sans certification", reverse("dossiers:close", args=[pid]), False),
        "withdraw": ("Abandon du candidat", reverse("dossiers:withdraw", args=[pid]), False),
    }


@dataclass(frozen=True)
class DossierActions:
    primary: Link | None
    others: list[Link]
    irreversible: list[Link]
    waiting: str


def dossier_actions(dossier, allowed, *, evaluations, meetings: int, paths: int, has_results: bool) -> DossierActions:
    """The page's actions from what is already loaded for it (no query of its own)."""
    under_way = next((e for e in evaluations if not e.is_closed), None)
    facts = Facts(
        state=dossier.state,
        allowed=allowed,
        open_evaluation=under_way.kind if under_way else "",
        meetings=meetings,
        paths=paths,
        closed_finals=sum(1 for e in evaluations if e.kind == "final" and e.is_closed),
        has_results=has_results,
        certified=dossier.state == State.CERTIFIED,
        can_fund=dossier.is_open,
        can_ask_absence=dossier.is_open and dossier.candidate_status == "employee" and dossier.employer_involved,
        can_invite=dossier.is_open and bool(dossier.candidate.email),
    )
    chosen = plan(facts)
    links = _links(dossier, under_way.public_id if under_way else None)

    def link(key: str) -> Link:
        label, url, post = links[key]
        return Link(key, label, url, post)

    return DossierActions(
        primary=link(chosen.primary) if chosen.primary else None,
        others=[link(k) for k in chosen.others],
        irreversible=[link(k) for k in chosen.irreversible],
        waiting=WAITING.get(dossier.state, ""),
    )
