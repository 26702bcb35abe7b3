"""Menu sections of the pages app (the registry is ``clea.lib.navigation``)."""

from clea.accounts.memberships import is_professional
from clea.lib.navigation import section


@section(0, "Accueil", "pages:home")
def show_home(user, current) -> bool:
    return not user.is_authenticated


@section(1, "Tableau de bord", "pages:dashboard")
def show_dashboard(user, current) -> bool:
    return is_professional(user)
