"""Menu sections of the dossiers app (the registry is ``clea.lib.navigation``): the views' own predicate."""

from clea.dossiers.permissions import can_list_dossiers
from clea.lib.navigation import section


@section(10, "Dossiers", "dossiers:list")
def show_dossiers(user, current) -> bool:
    return can_list_dossiers(user, current)
