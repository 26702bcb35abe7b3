"""Fetch one referral for a request, for the screens and the API alike: invisible means 404."""

from __future__ import annotations

from clea.lib.access import get_or_404
from clea.referrals.models import Referral


def referrals_for(user):
    return (
        Referral.objects.visible_to(user)
        .select_related("prescriber", "adviser", "evaluator_organisation", "certification", "dossier")
        .order_by("-sent_at", "-pk")
    )


def get_referral_for_user_or_404(user, public_id, *, for_update: bool = False) -> Referral:
    referrals = Referral.objects.visible_to(user).select_for_update(of=("self",)) if for_update else referrals_for(user)
    return get_or_404(referrals, public_id, "Orientation introuvable.")
