"""Background tasks of the dossiers app (django.tasks; run by ``manage.py db_worker``)."""

from django.tasks import task
from django.utils import timezone

from clea.dossiers.services import expire_overdue


@task
def expire_overdue_dossiers() -> int:
    """Daily: dossiers past the 5-year limit expire (a new évaluation préalable is then needed)."""
    return expire_overdue(timezone.localdate())
