"""An API token for a test's user, issued as « Mon compte » issues one (for their first organisation)."""

import datetime

from django.utils import timezone

from clea.api.models import Scope
from clea.api.tokens import issue_token


def token_for(user, *, scope: str = Scope.WRITE, organisation=None) -> str:
    organisation = organisation or user.memberships.filter(is_active=True).order_by("pk").first().organisation
    today = timezone.localdate()
    token, raw = issue_token(
        user,
        organisation=organisation,
        name="Outil de test",
        scope=scope,
        expires_on=today + datetime.timedelta(days=30),
        today=today,
    )
    # As if just used: the last-use touch (one UPDATE per 5 minutes) would otherwise fall in the first
    # request a query-count test measures.
    token.last_used_at = timezone.now()
    token.save(update_fields=["last_used_at"])
    return raw
