"""Fetch one absence request for a request, for the screens and the API alike: invisible means 404."""

from __future__ import annotations

from django.db.models import Q

from clea.absences.models import AbsenceRequest
from clea.absences.permissions import employer_organisations
from clea.dossiers.models import Dossier
from clea.lib.access import get_or_404


def absence_requests_for(user):
    return (
        AbsenceRequest.objects.visible_to(user)
        .select_related("dossier__candidate", "dossier__certification", "employer", "answered_by")
        .order_by("-requested_on", "-pk")
    )


def get_absence_request_for_user_or_404(user, public_id, *, for_update: bool = False) -> AbsenceRequest:
    message = "Demande d'autorisation d'absence introuvable."
    return get_or_404(absence_requests_for(user), public_id, message, for_update=for_update)


def employee_dossiers(user):
    """Dossiers of the employees who involve the employers where the user is administrator or employer
    contact (rule 15: otherwise the employer learns nothing of them)."""
    return Dossier.objects.involving_employer(employer_organisations(user))


def get_employee_dossier_or_404(user, public_id) -> Dossier:
    dossiers = employee_dossiers(user).select_related("candidate", "employer")
    return get_or_404(dossiers, public_id, "Dossier introuvable.")


def funding_visible_dossiers(user):
    """Dossiers whose funding the user sees: the visible ones and, for an employer's staff, their employees'."""
    return Dossier.objects.filter(
        Q(pk__in=Dossier.objects.visible_to(user).values("pk")) | Q(pk__in=employee_dossiers(user).values("pk"))
    )


def get_funding_dossier_for_user_or_404(user, public_id) -> Dossier:
    return get_or_404(funding_visible_dossiers(user), public_id, "Dossier introuvable.")
