"""Pure evaluation rules (no ORM: callers pass ids), tested by tables.

Separation of roles (docs/rules.md rule 12): the person who evaluates a candidate never trains them,
whichever of the two roles is given first.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from clea.lib import limits

EVALUATOR_IS_TRAINER = (
    "Cette personne est formatrice de ce candidat : elle ne peut pas l'évaluer (l'évaluateur et le "
    "formateur doivent être différents)."
)
TRAINER_IS_EVALUATOR = "Le formateur ne peut pas être l'évaluateur de ce candidat (règle de séparation des rôles)."


def evaluator_problem(evaluator_id: int, trainer_ids: Collection[int]) -> str | None:
    """Why this person may not evaluate the candidate, given the trainers of the candidate's paths."""
    return EVALUATOR_IS_TRAINER if evaluator_id in trainer_ids else None


def trainer_problem(trainer_id: int, evaluator_ids: Collection[int]) -> str | None:
    """Why this person may not train the candidate, given the dossier's evaluators (past and assigned)."""
    return TRAINER_IS_EVALUATOR if trainer_id in evaluator_ids else None


def comments_problem(comments: Mapping[str, str]) -> str | None:
    """Why these grid comments (criterion code → comment) cannot be saved: a comment says why one
    criterion is judged so, in at most ``limits.COMMENT`` characters."""
    long = sorted(code for code, comment in comments.items() if len(comment) > limits.COMMENT)
    if long:
        return f"Commentaire trop long pour {', '.join(long)} : {limits.COMMENT} caractères au plus."
    return None
