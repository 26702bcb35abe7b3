"""Menu section of the campaigns app (the registry is ``clea.lib.navigation``)."""

from clea.campaigns.permissions import can_see_campaigns
from clea.lib.navigation import section


@section(85, "Habilitation", "campaigns:list")
def show_campaigns(user, current) -> bool:
    return can_see_campaigns(user)
