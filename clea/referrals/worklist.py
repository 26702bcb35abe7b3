"""Referrals on the home page: to answer for the evaluator organisation, by state for the prescriber."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

from clea.lib.roles import OrganisationKind
from clea.lib.worklist import Item, Queue, queue
from clea.referrals.models import Referral, ReferralStatus


@queue(20)
def received_referrals(user, current, today) -> Queue | None:
    organisation = current.organisation
    if organisation is None or organisation.kind != OrganisationKind.EVALUATOR:
        return None
    waiting = Referral.objects.filter(evaluator_organisation=organisation, status=ReferralStatus.SENT).count()
    url = reverse("referrals:list")
    item = Item("Orientations reçues : ouvrir le dossier ou décliner", waiting, url, urgent=bool(waiting))
    return Queue("Orientations", [item], action=("Toutes les orientations", url))


@queue(20)
def sent_referrals(user, current, today) -> Queue | None:
    organisation = current.organisation
    if organisation is None or organisation.kind != OrganisationKind.PRESCRIBER:
        return None
    sent = Referral.objects.filter(prescriber=organisation)
    by_status = dict(sent.order_by().values_list("status").annotate(n=Count("pk")))
    url = reverse("referrals:list")
    labels = {
        ReferralStatus.SENT: "Envoyées, sans réponse de l'organisme",
        ReferralStatus.ACCEPTED: "Acceptées : dossier ouvert",
        ReferralStatus.DECLINED: "Déclinées : orienter ailleurs ?",
    }
    items = [
        Item(
            label,
            by_status.get(status, 0),
            url,
            urgent=status == ReferralStatus.DECLINED and bool(by_status.get(status)),
        )
        for status, label in labels.items()
    ]
    return Queue(
        "Vos orientations",
        items,
        empty="Vous n'avez encore orienté personne.",
        action=("Orienter une personne", reverse("referrals:create")),
    )
