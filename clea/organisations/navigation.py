"""Menu sections of the organisations app (the registry is ``clea.lib.navigation``)."""

from clea.accounts.memberships import is_certifier, is_professional
from clea.lib.navigation import section


@section(80, "Organisations", "organisations:list")
def show_all_organisations(user, current) -> bool:
    return is_certifier(user)


@section(80, "Mes organisations", "organisations:list")
def show_own_organisations(user, current) -> bool:
    return is_professional(user) and not is_certifier(user)
