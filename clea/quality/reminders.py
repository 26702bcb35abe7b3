"""Reminders to an evaluator organisation that one of its habilitations ends (rule 21: renew by applying).

Sent 180 and 60 days before the end to the organisation's administrators, unless a later habilitation for
the same certification already takes over. A run missed (scheduler down) is caught up within a week.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from clea.notifications.models import Kind
from clea.notifications.sending import members, notify
from clea.organisations.models import Habilitation, Role
from clea.quality.models import HabilitationReminder

REMINDER_DAYS = (180, 60)
CATCH_UP_DAYS = 7


def _renewed(habilitation: Habilitation) -> bool:
    assert habilitation.valid_until is not None  # the caller's filter
    return (
        Habilitation.objects.valid_on(habilitation.valid_until + datetime.timedelta(days=1))
        .filter(organisation=habilitation.organisation_id, certification=habilitation.certification_id)
        .exists()
    )


def remind_habilitation_ends(today: datetime.date) -> int:
    count = 0
    for days in REMINDER_DAYS:
        last = today + datetime.timedelta(days=days)
        first = max(last - datetime.timedelta(days=CATCH_UP_DAYS - 1), today)
        due = (
            Habilitation.objects.valid_on(today)
            .filter(valid_until__gte=first, valid_until__lte=last, organisation__is_active=True)
            .exclude(end_reminders__days_before=days)
            .select_related("organisation", "certification")
        )
        for habilitation in due:
            end = habilitation.valid_until
            if end is None or _renewed(habilitation):
                continue
            with transaction.atomic():
                reminder, created = HabilitationReminder.objects.get_or_create(
                    habilitation=habilitation,
                    valid_until=end,
                    days_before=days,
                    defaults={"sent_on": today},
                )
                if not created:
                    continue
                notify(
                    Kind.HABILITATION_ENDING,
                    template="habilitation_ending",
                    context={
                        "organisation": habilitation.organisation.name,
                        "certification": habilitation.certification.name,
                        "valid_until": habilitation.valid_until,
                    },
                    users=members(habilitation.organisation, [Role.ADMIN]),
                    organisation=habilitation.organisation,
                    key=f"habilitation-ending-{reminder.pk}",
                )
                count += 1
    return count
