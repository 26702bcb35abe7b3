"""Audits waiting: the certifier's answers to conclude, the audited organisation's dossiers to justify."""

from __future__ import annotations

from django.db.models import Count, Min, Q
from django.urls import reverse

from clea.lib.roles import Role
from clea.lib.worklist import Item, Queue, queue
from clea.quality.models import AuditedOrganisation
from clea.quality.permissions import can_control


@queue(39)
def quality_audits(user, current, today) -> Queue | None:
    url = reverse("quality:audits")
    if can_control(user):
        open_audits = AuditedOrganisation.objects.filter(conclusion="").aggregate(
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            waiting=Count("pk", filter=Q(answered_at__isnull=True)),
        )
        items = [
            Item("Réponses d'organismes audités à conclure", open_audits["answered"], url, urgent=True),
            Item("Organismes audités qui n'ont pas encore répondu", open_audits["waiting"], url),
        ]
        return Queue("Audits qualité", items, action=("Les audits", url))
    organisation = current.organisation if current else None
    if organisation is None or not current.has_role(Role.ADMIN, Role.EVALUATOR):
        return None
    due = AuditedOrganisation.objects.filter(organisation=organisation, conclusion="", answered_at__isnull=True)
    figures = due.aggregate(count=Count("pk"), first=Min("audit__answer_by"))
    if not figures["count"]:
        return None  # most organisations are never audited: no empty queue on their home page
    item = Item(
        "Audits qualité : dossiers tirés à justifier",
        figures["count"],
        url,
        urgent=True,
        detail=f"réponse attendue avant le {figures['first']:%d/%m/%Y}",
    )
    return Queue("Audit qualité", [item], action=("Les audits", url))
