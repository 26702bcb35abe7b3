"""Public verification is rate-limited per client address with Django's cache (no enumeration of codes).

Fixed window: ``CERTIFICATE_VERIFICATION_LIMIT`` lookups (20) per ``CERTIFICATE_VERIFICATION_WINDOW``
seconds (600). IPv6 clients are counted per /64, the block one subscriber usually holds. In production
the cache must be shared by the web processes (database or Redis cache), or each process counts alone.
"""

from __future__ import annotations

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache

DEFAULT_LIMIT = 20
DEFAULT_WINDOW = 600


def limits() -> tuple[int, int]:
    return (
        getattr(settings, "CERTIFICATE_VERIFICATION_LIMIT", DEFAULT_LIMIT),
        getattr(settings, "CERTIFICATE_VERIFICATION_WINDOW", DEFAULT_WINDOW),
    )


def client_key(request) -> str:
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        bucket = address
    else:
        bucket = str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)
    # Hashed: the cache holds no client address.
    return "clea:verification:" + hashlib.sha256(bucket.encode()).hexdigest()[:32]


def over_limit(request) -> bool:
    """Count this lookup; True once the client has used up the window's allowance."""
    limit, window = limits()
    key = client_key(request)
    if cache.add(key, 1, timeout=window):
        return limit < 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit
