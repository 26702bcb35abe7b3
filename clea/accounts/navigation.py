"""Menu sections of the accounts app (the registry is ``clea.lib.navigation``)."""

from clea.lib.navigation import section


@section(100, "Mon compte", "accounts:profile")
def show_profile(user, current) -> bool:
    return user.is_authenticated
