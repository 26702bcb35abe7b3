"""The person's link to their request (no account): the request's public id, signed and dated.

Nothing personal goes in the URL; the signature proves the link came from an e-mail we sent, and it
expires so that an old e-mail forwarded or left open does not keep the door open for ever.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "clea.meetings.booking"
MAX_AGE_DAYS = 60  # each e-mail carries a fresh link; a meeting is rarely set further away


def token_for(public_id: uuid.UUID) -> str:
    return signing.dumps(str(public_id), salt=SALT, compress=True)


def public_id_from(token: str) -> uuid.UUID | None:
    """The request's public id, or None when the link is forged, damaged or expired."""
    try:
        return uuid.UUID(signing.loads(token, salt=SALT, max_age=MAX_AGE_DAYS * 86400))
    except (signing.BadSignature, ValueError, TypeError):
        return None


def person_link(public_id: uuid.UUID) -> str:
    """Absolute: the link goes out by e-mail, sometimes from a daily task that has no request."""
    return settings.SITE_URL.rstrip("/") + reverse("meetings:person", args=[token_for(public_id)])
