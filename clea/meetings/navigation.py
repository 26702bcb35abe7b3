"""Menu section of the meetings app (the registry is ``clea.lib.navigation``).

The slots (``creneaux/``) live under the section's URL: the section stays current on their pages, and
the request list links to them, so the menu keeps a single entry for the whole information meeting.
"""

from clea.lib.navigation import section
from clea.meetings.permissions import can_handle_requests


@section(35, "Demandes de réunion", "meetings:list")
def show_requests(user, current) -> bool:
    return can_handle_requests(user, current)
