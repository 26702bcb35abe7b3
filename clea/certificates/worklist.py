"""The certifier's queue: awards to turn into certificates, letters to print or returned, CPF reports."""

from __future__ import annotations

import datetime

from django.urls import reverse

from clea.accounts.memberships import is_certifier
from clea.certificates.models import Certificate, Mailing, MailingStatus
from clea.jury.models import Decision, Outcome, SessionStatus
from clea.lib.worklist import Item, Queue, queue

RECENT_DAYS = 365  # certificates follow a closed session within days: older sessions are not scanned


@queue(10)
def certifier_queue(user, current, today) -> Queue | None:
    if not is_certifier(user):
        return None
    since = today - datetime.timedelta(days=RECENT_DAYS)
    to_issue = Decision.objects.filter(
        outcome=Outcome.AWARDED,
        entry__session__status=SessionStatus.CLOSED,
        entry__session__date__gte=since,
        certificate__isnull=True,
    ).count()
    to_print = Certificate.objects.awaiting_original_mailing().filter(awarded_on__gte=since).count()
    returned = Mailing.objects.filter(status=MailingStatus.RETURNED).count()
    overdue = Certificate.objects.cpf_overdue(today).count()
    to_report = Certificate.objects.cpf_to_report().count()
    items = [
        Item("Certificats à émettre (sessions closes)", to_issue, reverse("certificates:sessions"), urgent=True),
        Item("Certificats à imprimer et envoyer", to_print, reverse("certificates:batches"), urgent=True),
        Item("Courriers revenus à l'expéditeur", returned, reverse("certificates:batches"), urgent=True),
        Item("Déclarations CPF en retard", overdue, reverse("certificates:cpf_overdue"), urgent=True),
        Item("Certificats à déclarer au CPF", to_report, reverse("certificates:cpf")),
    ]
    return Queue("Certificats", items, action=("Tous les certificats", reverse("certificates:list")))
