"""Menu sections of the funding app (the registry is ``clea.lib.navigation``): the views' own predicate."""

from clea.funding.permissions import can_see_fee_statements
from clea.lib.navigation import section


@section(20, "Redevances", "funding:fee_index")
def show_funding(user, current) -> bool:
    return can_see_fee_statements(user)
