"""Fetch one of the candidate's own dossiers for their space: any other dossier is a 404."""

from __future__ import annotations

from clea.candidates.services import own_dossiers
from clea.dossiers.models import Dossier
from clea.lib.access import get_or_404


def get_own_dossier_or_404(user, public_id) -> Dossier:
    return get_or_404(own_dossiers(user), public_id, "Dossier introuvable.")
