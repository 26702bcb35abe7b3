"""Queue notifications after the transaction commits; a background task sends them.

A notification goes to users (who may have turned the kind off, or whose organisation chose a daily
digest) and/or to plain addresses (a candidate without an account). No personal data is logged.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from clea.notifications.models import DigestItem, DigestSetting, Preference

SUBJECT_PREFIX = "[CléA] "


def notify(kind: str, *, subject: str, body: str, users=(), emails=(), organisation=None) -> None:
    """Send after commit: nothing leaves for a change that is rolled back."""
    user_ids = sorted({u.pk for u in users if u is not None})
    addresses = sorted({e for e in emails if e})
    if not user_ids and not addresses:
        return
    organisation_id = organisation.pk if organisation is not None else None
    transaction.on_commit(lambda: deliver.enqueue(kind, subject, body, user_ids, addresses, organisation_id))


@task
def deliver(
    kind: str, subject: str, body: str, user_ids: list[int], emails: list[str], organisation_id: int | None
) -> int:
    User = get_user_model()
    opted_out = set(Preference.objects.filter(user_id__in=user_ids, kind=kind).values_list("user_id", flat=True))
    digest = (
        organisation_id is not None
        and DigestSetting.objects.filter(organisation_id=organisation_id, daily_digest=True).exists()
    )
    sent = 0
    for user in User.objects.filter(pk__in=user_ids, is_active=True).exclude(pk__in=opted_out):
        if digest:
            DigestItem.objects.create(user=user, kind=kind, subject=subject, body=body)
            continue
        send_mail(SUBJECT_PREFIX + subject, body, None, [user.email])
        sent += 1
    for address in emails:
        send_mail(SUBJECT_PREFIX + subject, body, None, [address])
        sent += 1
    return sent


def send_digests() -> int:
    """Daily: one e-mail per person gathering the day's notifications."""
    pending = DigestItem.objects.filter(sent_at__isnull=True).select_related("user").order_by("user_id", "pk")
    by_user: dict[int, list[DigestItem]] = {}
    for item in pending:
        by_user.setdefault(item.user_id, []).append(item)
    for items in by_user.values():
        body = "\n\n".join(f"• {i.subject}\n{i.body}" for i in items)
        send_mail(f"{SUBJECT_PREFIX}Résumé du jour ({len(items)})", body, None, [items[0].user.email])
        DigestItem.objects.filter(pk__in=[i.pk for i in items]).update(sent_at=timezone.now())
    return len(by_user)


def members(organisation, roles) -> list:
    """Active users of an organisation with one of the roles."""
    User = get_user_model()
    if organisation is None:
        return []
    return list(
        User.objects.filter(
            memberships__organisation=organisation,
            memberships__is_active=True,
            memberships__role__in=roles,
            is_active=True,
        ).distinct()
    )


def candidate_recipients(candidate) -> dict:
    """The candidate's account if activated (preferences apply), else their e-mail address."""
    account = getattr(candidate, "account", None)
    if account is not None:
        return {"users": [account.user]}
    return {"emails": [candidate.email] if candidate.email else []}
