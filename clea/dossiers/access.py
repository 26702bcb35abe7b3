"""Fetch one dossier-scoped object for a request: invisible means 404."""

from __future__ import annotations

from clea.dossiers.models import Dossier, TransferRequest
from clea.lib.access import get_or_404


def get_dossier_for_user_or_404(user, public_id, *, for_update: bool = False) -> Dossier:
    dossiers = Dossier.objects.visible_to(user).select_related(
        "candidate__commune",
        "certification",
        "referentiel_version__profile",
        "evaluator_organisation",
        "evaluator",
        "employer",
        "prescriber",
    )
    return get_or_404(dossiers, public_id, "Dossier introuvable.", for_update=for_update)


def get_transfer_request_for_user_or_404(user, public_id, *, dossier=None, for_update: bool = False) -> TransferRequest:
    """A request on a dossier the user sees (its holder answers it); under a dossier's URL, that dossier's."""
    transfers = TransferRequest.objects.visible_to(user).select_related(
        "dossier__evaluator_organisation", "to_organisation"
    )
    if dossier is not None:
        transfers = transfers.filter(dossier=dossier)
    return get_or_404(transfers, public_id, "Demande de transfert introuvable.", for_update=for_update)
