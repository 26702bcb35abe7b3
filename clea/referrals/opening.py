"""Opening a dossier from a referral: the evaluator follows ``dossiers/nouveau/?orientation=<id>``."""

from __future__ import annotations

from clea.dossiers.extensions import OpeningSource
from clea.lib.access import get_or_404
from clea.referrals.models import Referral, ReferralStatus
from clea.referrals.services import accept_referral, referral_initial


def referral_opening(request, organisation) -> OpeningSource | None:
    """The pending referral the request names, sent to this organisation; 404 for any other."""
    public_id = request.GET.get("orientation") or request.POST.get("orientation")
    if not public_id:
        return None
    pending = (
        Referral.objects.visible_to(request.user)
        .select_related("prescriber", "certification")
        .filter(evaluator_organisation=organisation, status=ReferralStatus.SENT)
    )
    referral = get_or_404(pending, public_id, "Orientation introuvable ou déjà traitée.")
    return OpeningSource(
        initial=referral_initial(referral),
        context={"referral": referral},
        open=lambda **common: accept_referral(referral, **common),
    )
