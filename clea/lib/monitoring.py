"""Error monitoring, opt-in: Sentry receives exceptions when ``SENTRY_DSN`` is set, never personal data."""

from __future__ import annotations

from typing import Any

from clea.lib.logfilters import scrub

# Request parts that may carry personal data (forms, cookies, query strings): never sent.
DROPPED_REQUEST_KEYS = ("data", "cookies", "query_string", "headers", "env")


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    request = event.get("request")
    if isinstance(request, dict):
        for key in DROPPED_REQUEST_KEYS:
            request.pop(key, None)
    event.pop("user", None)
    for exception in (event.get("exception") or {}).get("values", []) or []:
        if isinstance(exception.get("value"), str):
            exception["value"] = scrub(exception["value"])
        for frame in (exception.get("stacktrace") or {}).get("frames", []) or []:
            frame.pop("vars", None)  # local variables hold candidates' identities
    if isinstance(event.get("message"), str):
        event["message"] = scrub(event["message"])
    return event


def init_sentry(dsn: str, *, environment: str, release: str) -> None:
    import sentry_sdk  # only when a DSN is configured
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,  # type: ignore[arg-type]
        traces_sample_rate=0.0,
    )
