"""Menu sections of the referrals app (the registry is ``clea.lib.navigation``): the views' own predicate."""

from clea.lib.navigation import section
from clea.referrals.permissions import can_list_referrals


@section(30, "Orientations", "referrals:list")
def show_referrals(user, current) -> bool:
    return can_list_referrals(user, current)
