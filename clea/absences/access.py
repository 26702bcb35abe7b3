"""Fetch one absence request for a request, for the screens and the API alike: invisible means 404."""

from __future__ import annotations

from django.db.models import Q

from clea.absences.models import AbsenceRequest
from clea.absences.permissions import employer_organisations
from clea.dossiers.models import Dossier
from clea.funding.models import FundingLine
from clea.lib.access import get_or_404


def absence_requests_for(user):
    return (
        AbsenceRequest.objects.visible_to(user)
        .select_related("dossier__candidate", "dossier__certification", "employer", "answered_by", "pay_line")
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


def employer_funding_lines(user):
    """Funding lines of the dossiers that involve the user's employers now (rule 15: nothing after that)."""
    return FundingLine.objects.filter(dossier__in=employee_dossiers(user).values("pk")).select_related(
        "dossier__candidate", "dossier__certification", "dossier__employer", "recorded_by_employer"
    )


def get_employer_funding_line_or_404(user, public_id) -> FundingLine:
    return get_or_404(employer_funding_lines(user), public_id, "Ligne de financement introuvable.")


def recorded_by_own_employer(user, line: FundingLine) -> bool:
    """An employer changes only the lines its own staff recorded (not the evaluator's, not the paid work time)."""
    return line.recorded_by_employer_id in {o.pk for o in employer_organisations(user)}
