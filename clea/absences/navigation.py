"""Menu sections of the absences app (the registry is ``clea.lib.navigation``): the views' own predicate."""

from clea.absences.permissions import can_list_absences
from clea.lib.navigation import section


@section(50, "Demandes d'absence", "absences:list")
def show_absences(user, current) -> bool:
    return can_list_absences(user, current)
