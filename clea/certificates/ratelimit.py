"""Public verification is rate-limited per client with django-ratelimit on the shared cache.

``CERTIFICATE_VERIFICATION_LIMIT`` lookups (20) per ``CERTIFICATE_VERIFICATION_WINDOW`` seconds (600),
counted in the cache every web process shares (``CACHES``: Redis or the database), per client as
``clea.lib.clients`` finds it behind the trusted proxies: codes cannot be enumerated.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

from clea.lib.clients import client_bucket

DEFAULT_LIMIT = 20
DEFAULT_WINDOW = 600


def limits() -> tuple[int, int]:
    return (
        getattr(settings, "CERTIFICATE_VERIFICATION_LIMIT", DEFAULT_LIMIT),
        getattr(settings, "CERTIFICATE_VERIFICATION_WINDOW", DEFAULT_WINDOW),
    )


def _key(group: str, request: HttpRequest) -> str:
    return client_bucket(request)


def over_limit(request: HttpRequest) -> bool:
    """Count this lookup; True once the client has used up the window's allowance."""
    return bool(is_ratelimited(request, group="certificate-verification", key=_key, rate=limits(), increment=True))
