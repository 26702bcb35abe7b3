"""Who made a change, for django-auditlog, read when the change is written rather than when the request
arrives: the API authenticates its token inside the view, after every middleware has run."""

from typing import Any

from auditlog.middleware import AuditlogMiddleware
from django.utils.functional import SimpleLazyObject


class AuditActorMiddleware(AuditlogMiddleware):
    @staticmethod
    def _get_actor(request: Any) -> Any:
        # A lazy object passes auditlog's ``isinstance(actor, User)`` once it resolves to a user;
        # DRF puts the token's user on the Django request when it authenticates.
        return SimpleLazyObject(
            lambda: request.user if getattr(request, "user", None) and request.user.is_authenticated else None
        )
