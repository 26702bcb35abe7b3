"""Health for load balancers and operators: database, cache, task queue. No personal data, no session."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult

HEALTH_KEY = "clea:health"


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # any failure means "not healthy", whatever the driver raises
        return False


def _cache() -> bool:
    try:
        cache.set(HEALTH_KEY, "ok", timeout=10)
        return cache.get(HEALTH_KEY) == "ok"
    except Exception:
        return False


def _queue() -> dict[str, int]:
    by_status = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by())
    since = timezone.now() - datetime.timedelta(days=1)
    return {
        "ready": by_status.get("READY", 0),
        "running": by_status.get("RUNNING", 0),
        "failed_last_24h": DBTaskResult.objects.filter(status="FAILED", finished_at__gte=since).count(),
    }


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    database, shared_cache = _database(), _cache()
    body: dict = {"database": "ok" if database else "indisponible", "cache": "ok" if shared_cache else "indisponible"}
    if database:
        body["queue"] = _queue()
    healthy = database and shared_cache
    body["status"] = "ok" if healthy else "indisponible"
    response = JsonResponse(body, status=200 if healthy else 503)
    if not healthy:
        response["Retry-After"] = "30"
    return response
