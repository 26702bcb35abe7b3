"""Fetch one organisation of the public directory, for the page and the API alike."""

from __future__ import annotations

import datetime

from clea.directory.search import Place, search
from clea.lib.access import get_or_404


def get_listed_organisation_or_404(public_id, today: datetime.date):
    """Public: an evaluator organisation with a habilitation in force today; any other id is a 404."""
    return get_or_404(search(Place(), None, today), public_id, "Organisme introuvable ou sans habilitation en cours.")
