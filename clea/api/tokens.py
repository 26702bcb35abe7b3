"""Issuing, finding and revoking API tokens; the raw token is returned once and never stored."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from clea.accounts.memberships import is_certifier
from clea.api.models import ApiToken, Scope
from clea.lib.errors import Conflict, RuleViolation
from clea.organisations.models import Membership, Organisation

PREFIX = "clea"
MAX_DAYS = 365  # a token lives at most a year: a forgotten one stops on its own
DEFAULT_DAYS = 90


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split(raw: str) -> tuple[str, str] | None:
    """``clea_<prefix>_<secret>`` → (prefix, secret); None for anything else."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


@transaction.atomic
def issue_token(
    user, *, organisation: Organisation, name: str, scope: str, expires_on: datetime.date, today: datetime.date
) -> tuple[ApiToken, str]:
    if not name.strip():
        raise RuleViolation("Donnez un nom au jeton (par exemple l'outil qui l'utilise).", field="name")
    if scope not in Scope.values:
        raise RuleViolation("Choisissez les opérations permises.", field="scope")
    if not Membership.objects.filter(
        user=user, organisation=organisation, is_active=True, organisation__is_active=True
    ).exists():
        raise RuleViolation("Vous n'êtes pas membre de cette organisation.", field="organisation")
    if not today < expires_on <= today + datetime.timedelta(days=MAX_DAYS):
        raise RuleViolation(
            f"La date d'expiration doit être dans l'avenir et au plus dans {MAX_DAYS} jours.", field="expires_on"
        )
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    expires_at = timezone.make_aware(datetime.datetime.combine(expires_on, datetime.time.max))
    token = ApiToken.objects.create(
        user=user,
        organisation=organisation,
        name=name.strip(),
        scope=scope,
        prefix=prefix,
        secret_hash=_hash(secret),
        expires_at=expires_at,
    )
    return token, f"{PREFIX}_{prefix}_{secret}"


def find_token(raw: str) -> ApiToken | None:
    """The token these characters name, whatever its state (the caller says why it is refused)."""
    parts = split(raw)
    if parts is None:
        return None
    token = ApiToken.objects.select_related("user", "organisation").filter(prefix=parts[0]).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(parts[1])):
        return None
    return token


def revocable_by(user):
    """The user's own tokens; every token for the certifier."""
    return ApiToken.objects.all() if is_certifier(user) else ApiToken.objects.filter(user=user)


@transaction.atomic
def revoke(token: ApiToken, *, by) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise Conflict("Ce jeton est déjà révoqué.")
    token.revoked_at, token.revoked_by = timezone.now(), by
    token.save(update_fields=["revoked_at", "revoked_by"])
    return token
