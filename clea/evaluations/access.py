"""Fetch one evaluation for a request, for the screens and the API alike: invisible means 404."""

from __future__ import annotations

from clea.evaluations.models import Evaluation
from clea.lib.access import get_or_404


def get_evaluation_for_user_or_404(user, public_id, *, dossier=None, for_update: bool = False) -> Evaluation:
    """An evaluation of a dossier the user sees; under a dossier's URL, it must be that dossier's."""
    evaluations = Evaluation.objects.visible_to(user).select_related(
        "dossier__evaluator_organisation", "dossier__certification", "referentiel_version__profile", "evaluator"
    )
    if dossier is not None:
        evaluations = evaluations.filter(dossier=dossier)
    return get_or_404(evaluations, public_id, "Évaluation introuvable.", for_update=for_update)
