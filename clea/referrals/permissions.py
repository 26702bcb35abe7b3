"""Who sees referrals. Visibility itself is ``Referral.objects.visible_to(user)``."""

from __future__ import annotations

from clea.accounts.memberships import is_certifier
from clea.lib.roles import OrganisationKind


def can_list_referrals(user, current) -> bool:
    """Prescribers send referrals, evaluator organisations receive them, the certifier oversees them."""
    return is_certifier(user) or (
        current is not None and current.kind in (OrganisationKind.PRESCRIBER, OrganisationKind.EVALUATOR)
    )
