"""The evaluator organisation's requests on personal data to answer, on its administrators' home page."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Count, Min
from django.urls import reverse

from clea.lib.worklist import Item, Queue, queue
from clea.privacy.models import PrivacyRequest, RequestStatus, RetentionNotice
from clea.privacy.permissions import answering_organisation


@queue(16)
def privacy_requests(user, current, today) -> Queue | None:
    organisation = answering_organisation(user, current)
    if organisation is None:
        return None
    pending = PrivacyRequest.objects.filter(dossier__evaluator_organisation=organisation, status=RequestStatus.PENDING)
    figures = pending.order_by().aggregate(first_due=Min("answer_due"), count=Count("pk"))
    notices = RetentionNotice.objects.running().filter(dossier__evaluator_organisation=organisation).count()
    url = reverse("privacy:list")
    first_due: datetime.date | None = figures["first_due"]
    items = [
        Item(
            "Demandes d'effacement ou de retrait du consentement à traiter",
            figures["count"],
            url,
            urgent=True,
            detail=f"la première au plus tard le {first_due:%d/%m/%Y}" if first_due else "",
        ),
        Item(
            f"Dossiers terminés qui seront anonymisés dans les {settings.RETENTION_NOTICE_DAYS} jours (préavis envoyé)",
            notices,
            url,
        ),
    ]
    return Queue("Données personnelles", items, action=("Toutes les demandes", url))
