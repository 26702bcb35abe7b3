"""Menu section of the privacy app (the registry is ``clea.lib.navigation``)."""

from clea.accounts.memberships import is_candidate
from clea.lib.navigation import section
from clea.privacy.permissions import can_answer_requests


@section(85, "Données personnelles", "privacy:list")
def show_requests(user, current) -> bool:
    return can_answer_requests(user, current)


@section(2, "Mes données", "privacy:mine")
def show_own_data(user, current) -> bool:
    return is_candidate(user)
