"""Who is asking: the client's address behind a configured number of trusted proxies.

Each proxy appends the address it received the request from to ``X-Forwarded-For``; with
``TRUSTED_PROXIES = n`` the client is the n-th address from the right (what DRF's ``NUM_PROXIES`` reads
for the API throttles, set to the same number). Anything further left was written by the client itself.
"""

from __future__ import annotations

import hashlib
import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    proxies = int(getattr(settings, "TRUSTED_PROXIES", 0))
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if a.strip()]
    if not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]


def client_bucket(request: HttpRequest) -> str:
    """A hashed key per client (IPv6 per /64, the block one subscriber holds): caches hold no address."""
    address = client_address(request) or "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        bucket = address
    else:
        bucket = str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)
    return hashlib.sha256(bucket.encode()).hexdigest()[:32]
