"""Queue notifications after the transaction commits; a background task sends them.

A notification goes to users (who may have turned the kind off, or whose organisation chose a daily
digest) and/or to plain addresses (a candidate without an account). No personal data is logged.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from clea.notifications.emails import render_email
from clea.notifications.models import DigestItem, DigestSetting, Preference, Sent

SUBJECT_PREFIX = "[CléA] "


def notify(
    kind: str,
    *,
    template: str,
    context: dict[str, Any],
    users: Iterable[Any] = (),
    emails: Iterable[str] = (),
    organisation: Any = None,
    key: str | None = None,
) -> None:
    """Render ``emails/<template>/`` now, send after commit: nothing leaves for a change that is rolled
    back. ``key`` names the notification (a fresh one by default): each recipient gets it once, however
    often the delivery runs."""
    user_ids = sorted({u.pk for u in users if u is not None})
    addresses = sorted({e for e in emails if e})
    if not user_ids and not addresses:
        return
    email = render_email(template, context)
    organisation_id = organisation.pk if organisation is not None else None
    key = key or uuid.uuid4().hex
    transaction.on_commit(
        lambda: deliver.enqueue(kind, email.subject, email.text, user_ids, addresses, organisation_id, key, email.html)
    )


def _once(key: str, recipient: str, send: Callable[[], object]) -> bool:
    """Record, then send, in one transaction: a failed send leaves no record (the retry sends it), and a
    second delivery waits on the first one's row, then finds it and skips."""
    with transaction.atomic():
        _, created = Sent.objects.get_or_create(key=key, recipient=recipient)
        if created:
            send()
    return created


def _address_recipient(address: str) -> str:
    return "email:" + hashlib.sha256(address.lower().encode()).hexdigest()[:40]


@task
def deliver(
    kind: str,
    subject: str,
    body: str,
    user_ids: list[int],
    emails: list[str],
    organisation_id: int | None,
    key: str = "",
    html: str = "",
) -> int:
    User = get_user_model()
    opted_out = set(Preference.objects.filter(user_id__in=user_ids, kind=kind).values_list("user_id", flat=True))
    digest = (
        organisation_id is not None
        and DigestSetting.objects.filter(organisation_id=organisation_id, daily_digest=True).exists()
    )
    key = key or uuid.uuid4().hex  # deliveries enqueued before keys existed
    sent = 0
    for user in User.objects.filter(pk__in=user_ids, is_active=True).exclude(pk__in=opted_out):
        if digest:
            _once(
                key,
                f"user:{user.pk}",
                partial(DigestItem.objects.create, user=user, kind=kind, subject=subject, body=body),
            )
            continue
        sent += _once(
            key,
            f"user:{user.pk}",
            partial(send_mail, SUBJECT_PREFIX + subject, body, None, [user.email], html_message=html or None),
        )
    for address in emails:
        sent += _once(
            key,
            _address_recipient(address),
            partial(send_mail, SUBJECT_PREFIX + subject, body, None, [address], html_message=html or None),
        )
    return sent


def send_digests() -> int:
    """Daily: one e-mail per person gathering the day's notifications."""
    user_ids = DigestItem.objects.filter(sent_at__isnull=True).values_list("user_id", flat=True).distinct()
    sent = 0
    for user_id in sorted(set(user_ids)):
        # Locked, marked and sent in one transaction: an overlapping run waits, then finds nothing pending;
        # a failed send rolls the marks back for the next run.
        with transaction.atomic():
            items = list(
                DigestItem.objects.select_for_update()
                .filter(user_id=user_id, sent_at__isnull=True)
                .select_related("user")
                .order_by("pk")
            )
            if not items:
                continue
            DigestItem.objects.filter(pk__in=[i.pk for i in items]).update(sent_at=timezone.now())
            body = "\n\n".join(f"• {i.subject}\n{i.body}" for i in items)
            send_mail(f"{SUBJECT_PREFIX}Résumé du jour ({len(items)})", body, None, [items[0].user.email])
            sent += 1
    return sent


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
