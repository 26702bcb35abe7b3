"""Menu sections of the candidate's space (the registry is ``clea.lib.navigation``)."""

from clea.accounts.memberships import is_candidate
from clea.lib.navigation import section


@section(0, "Mon parcours", "candidates:home")
def show_own_path(user, current) -> bool:
    return is_candidate(user)
