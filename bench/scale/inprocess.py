"""The same pages without HTTP nor gunicorn: Django's test client in the bench process.

Same settings (production), same database, same sessions; the median of single requests after a
warm-up, and the SQL queries of one request.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from itertools import count

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.scale.load import PROXY
from bench.scale.targets import Page

WARMUP = 3
RUNS = 20
_addresses = count(1)


@dataclass
class InProcessResult:
    median_ms: float | None
    queries: int | None
    error: str | None = None


def client_for(page: Page, host: str) -> Client:
    headers = {k: v for k, v in page.identity.headers.items() if k.lower() != "content-type"}
    client = Client(headers={"Host": host, **PROXY, **headers})
    for name, value in page.identity.cookies.items():
        client.cookies[name] = value
    return client


def send(client: Client, page: Page, target: tuple[str, str] | None) -> int:
    path, body = target or (page.path, "")
    headers = {}
    if page.vary_ip:
        n = next(_addresses)
        headers["X-Forwarded-For"] = f"10.254.{n // 250 % 250}.{n % 250 + 1}"
    content_type = "application/x-www-form-urlencoded" if page.method == "POST" else "application/octet-stream"
    response = client.generic(page.method, path, body, content_type=content_type, secure=True, headers=headers)
    body = response.content.decode(errors="replace").casefold()
    if page.marker and response.status_code == page.expect and page.marker.casefold() not in body:
        return -response.status_code
    return int(response.status_code)


def measure(page: Page, host: str) -> InProcessResult:
    client = client_for(page, host)
    targets = page.take(WARMUP + RUNS + 1) if page.pool else []

    def target() -> tuple[str, str] | None:
        return targets.pop(0) if targets else None

    for _ in range(WARMUP):
        send(client, page, target())
    with CaptureQueriesContext(connection) as captured:
        status = send(client, page, target())
    queries = len(captured.captured_queries)  # now: each request start empties the connection's log
    if status != page.expect:
        return InProcessResult(None, None, f"HTTP {abs(status)}" + (" sans le texte attendu" if status < 0 else ""))
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        send(client, page, target())
        samples.append(time.perf_counter() - start)
    return InProcessResult(statistics.median(samples) * 1000, queries)
