"""Background tasks of absence authorisations."""

from django.tasks import task
from django.utils import timezone

from clea.absences.services import accept_silent_requests
from clea.lib.daily import daily


@daily(rank=20)
@task
def accept_silent_absence_requests() -> int:
    """Daily: absence requests unanswered after 30 days are accepted (Code du travail D6323-4)."""
    return accept_silent_requests(timezone.localdate())
