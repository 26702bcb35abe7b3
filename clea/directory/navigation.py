"""Menu sections of the public directory (the registry is ``clea.lib.navigation``)."""

from clea.lib.navigation import section


@section(5, "Trouver un évaluateur", "directory:search")
def show_directory(user, current) -> bool:
    return not user.is_authenticated
