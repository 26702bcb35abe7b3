"""Menu section of the meetings app (the registry is ``clea.lib.navigation``)."""

from clea.lib.navigation import section
from clea.meetings.permissions import can_handle_requests


@section(35, "Demandes de réunion", "meetings:list")
def show_requests(user, current) -> bool:
    return can_handle_requests(user, current)
