"""Pure jury rules: quorum, majority, conflicts, and the automatic pre-check of a dossier.

No ORM here: callers pass plain facts, so every rule is tested by tables (docs/rules.md rule 14).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from clea.dossiers.deadlines import is_past

EMPLOYERS, EMPLOYEES = "employers", "employees"
COLLEGE_NAMES = {EMPLOYERS: "employeurs", EMPLOYEES: "salariés"}


@dataclass(frozen=True)
class Seat:
    id: int
    college: str
    present: bool
    organisation_id: int | None


def sitting_problem(session_date: datetime.date, today: datetime.date) -> str | None:
    """Decisions are taken, and minutes signed, on the day of the session or after."""
    if session_date > today:
        return f"La session se tient le {session_date:%d/%m/%Y} : les décisions s'enregistrent ce jour-là, pas avant."
    return None


def quorum_problem(seats: Iterable[Seat], min_per_college: int) -> str | None:
    """None when each college has at least ``min_per_college`` members present, else why not."""
    present = [s for s in seats if s.present]
    missing = [
        f"{COLLEGE_NAMES[college]} ({sum(1 for s in present if s.college == college)} présent(s))"
        for college in (EMPLOYERS, EMPLOYEES)
        if sum(1 for s in present if s.college == college) < min_per_college
    ]
    if not missing:
        return None
    return (
        f"Quorum non atteint : il faut au moins {min_per_college} membre(s) présent(s) dans chaque collège ; "
        f"manque : {', '.join(missing)}. La session ne peut pas décider."
    )


def conflicted(seats: Iterable[Seat], organisation_ids: set[int]) -> set[int]:
    """Members from the candidate's employer or evaluator organisation do not vote on the dossier."""
    return {s.id for s in seats if s.present and s.organisation_id in organisation_ids}


def vote_problem(*, voters: int, votes_for: int, votes_against: int, votes_abstain: int) -> str | None:
    """Decision by absolute majority of the members present who may vote on the dossier."""
    if voters == 0:
        return "Aucun membre présent ne peut voter sur ce dossier."
    cast = votes_for + votes_against + votes_abstain
    if cast > voters:
        return f"{cast} voix pour {voters} votant(s) : le décompte dépasse le nombre de membres qui votent."
    if votes_for * 2 <= voters:
        return f"La décision doit réunir la majorité absolue des {voters} votant(s) ({voters // 2 + 1} voix pour)."
    return None


@dataclass(frozen=True)
class DossierFacts:
    eligible: bool
    engine_explanation: str
    closed_initial: bool
    open_evaluations: int
    had_training_without_final: bool
    last_evaluation_date: datetime.date | None
    deadline: datetime.date | None
    unhabilitated_dates: tuple[datetime.date, ...]
    trainer_also_evaluator: bool


def precheck(facts: DossierFacts) -> list[str]:
    """Anomalies that keep a dossier out of the joint decision (docs/rules.md rules 6, 10, 12)."""
    problems = []
    if not facts.eligible:
        problems.append(f"Le moteur de décision ne le déclare pas éligible : {facts.engine_explanation}")
    if not facts.closed_initial:
        problems.append("Aucune évaluation préalable clôturée.")
    if facts.open_evaluations:
        problems.append("Une évaluation est encore en cours.")
    if facts.had_training_without_final:
        problems.append("Un parcours de formation n'a pas été suivi d'une évaluation finale clôturée.")
    if facts.last_evaluation_date and is_past(facts.deadline, facts.last_evaluation_date):
        problems.append(
            f"Dernière évaluation le {facts.last_evaluation_date:%d/%m/%Y}, après la limite des 5 ans "
            f"({facts.deadline:%d/%m/%Y})."
        )
    if facts.unhabilitated_dates:
        dates = ", ".join(f"{d:%d/%m/%Y}" for d in facts.unhabilitated_dates)
        problems.append(f"Habilitation de l'organisme non valable à la date d'évaluation : {dates}.")
    if facts.trainer_also_evaluator:
        problems.append("Le formateur du candidat a aussi été son évaluateur.")
    return problems
