"""Opening a dossier after the meeting, from the person's request: ``dossiers/nouveau/?demande=<id>``."""

from __future__ import annotations

from django.db import transaction

from clea.dossiers import services as dossiers
from clea.dossiers.extensions import OpeningSource
from clea.lib.access import get_or_404
from clea.meetings.models import OPEN_STATUSES, MeetingRequest
from clea.meetings.services import link_dossier


def meeting_request_opening(request, organisation) -> OpeningSource | None:
    public_id = request.GET.get("demande") or request.POST.get("demande")
    if not public_id:
        return None
    pending = MeetingRequest.objects.filter(evaluator_organisation=organisation, status__in=OPEN_STATUSES)
    meeting_request = get_or_404(pending, public_id, "Demande introuvable ou déjà traitée.")

    def open_dossier(**common):
        with transaction.atomic():
            dossier = dossiers.open_dossier(organisation=organisation, initiator="self", **common)
            link_dossier(meeting_request, dossier, by=common["by"])
        return dossier

    initial: dict[str, object] = {
        "birth_name": meeting_request.last_name,
        "first_names": meeting_request.first_name,
        "email": meeting_request.email,
        "phone": meeting_request.phone,
        "initiator": "self",
    }
    if meeting_request.certification_id:
        initial["certification"] = meeting_request.certification_id
    return OpeningSource(
        initial=initial,
        context={"meeting_request": meeting_request},
        open=open_dossier,
        chooses_certification=True,
    )
