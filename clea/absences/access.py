"""Fetch one absence request for a request, for the screens and the API alike: invisible means 404."""

from django.http import Http404

from clea.absences.models import AbsenceRequest


def absence_requests_for(user):
    return (
        AbsenceRequest.objects.visible_to(user)
        .select_related("dossier__candidate", "dossier__certification", "employer", "answered_by")
        .order_by("-requested_on", "-pk")
    )


def get_absence_request_for_user_or_404(user, public_id, *, for_update: bool = False) -> AbsenceRequest:
    requests = absence_requests_for(user)
    if for_update:
        requests = requests.select_for_update(of=("self",))
    absence = requests.filter(public_id=public_id).first()
    if absence is None:
        raise Http404("Demande d'autorisation d'absence introuvable.")
    return absence
