"""Fetch one training path for a request, for the screens and the API alike: invisible means 404."""

from __future__ import annotations

from clea.lib.access import get_or_404
from clea.training.models import TrainingPath


def get_training_path_for_user_or_404(user, public_id, *, dossier=None, for_update: bool = False) -> TrainingPath:
    """A path of a dossier the user sees; under a dossier's URL, it must be that dossier's."""
    paths = TrainingPath.objects.visible_to(user).select_related(
        "dossier__evaluator_organisation", "training_organisation", "trainer"
    )
    if dossier is not None:
        paths = paths.filter(dossier=dossier)
    return get_or_404(paths, public_id, "Parcours introuvable.", for_update=for_update)
