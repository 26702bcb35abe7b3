"""Menu sections of the référentiels app (the registry is ``clea.lib.navigation``)."""

from clea.accounts.memberships import is_professional
from clea.lib.navigation import section


@section(70, "Référentiels", "referentiel:list")
def show_referentiels(user, current) -> bool:
    return is_professional(user)
