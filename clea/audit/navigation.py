"""Menu section of the audit app (the registry is ``clea.lib.navigation``)."""

from clea.accounts.memberships import is_certifier
from clea.lib.navigation import section


@section(90, "Journal des modifications", "audit:trail")
def show_trail(user, current) -> bool:
    return is_certifier(user)
