"""Who may manage référentiel versions."""

import rules

from clea.accounts.memberships import is_certifier


@rules.predicate
def can_manage_referentiels(user) -> bool:
    """Import, put in force and archive référentiel versions: certifier staff only."""
    return is_certifier(user)
