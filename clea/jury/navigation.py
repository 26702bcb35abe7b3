"""Menu sections of the jury app (the registry is ``clea.lib.navigation``): the views' own predicate."""

from clea.jury.permissions import can_list_jury_sessions
from clea.lib.navigation import section


@section(60, "Jurys", "jury:list")
def show_jury(user, current) -> bool:
    return can_list_jury_sessions(user, current)
