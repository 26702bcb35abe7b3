"""``Authorization: Token clea_…`` (or ``Bearer``): the request acts for the token's organisation alone,
with the token's operations. Refusals say why in French; logs carry the prefix, never the secret."""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS

from clea.accounts.memberships import act_for_only
from clea.api.models import Scope
from clea.api.tokens import find_token, split

logger = logging.getLogger(__name__)
KEYWORDS = {"token", "bearer"}
TOUCH_EVERY = datetime.timedelta(minutes=5)  # last use recorded at most this often: one write per burst


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("En-tête Authorization invalide : « Token <jeton> » attendu.")
        raw = header[1].decode(errors="replace")
        token = find_token(raw)
        if token is None:
            parts = split(raw)
            logger.warning("API token refused: unknown (prefix %s)", parts[0] if parts else "-")
            raise exceptions.AuthenticationFailed("Jeton d'API inconnu. Créez-en un depuis « Mon compte ».")
        if token.revoked_at is not None:
            logger.warning("API token refused: revoked (prefix %s)", token.prefix)
            raise exceptions.AuthenticationFailed("Ce jeton d'API a été révoqué.")
        if token.expires_at <= timezone.now():
            logger.warning("API token refused: expired (prefix %s)", token.prefix)
            raise exceptions.AuthenticationFailed(
                f"Ce jeton d'API a expiré le {timezone.localtime(token.expires_at):%d/%m/%Y}. "
                "Créez-en un autre depuis « Mon compte »."
            )
        user = token.user
        if not user.is_active or not act_for_only(user, token.organisation_id):
            logger.warning("API token refused: no longer a member (prefix %s)", token.prefix)
            raise exceptions.AuthenticationFailed(
                "Ce jeton n'est plus valable : vous n'êtes plus membre de son organisation."
            )
        if token.scope == Scope.READ and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied("Ce jeton est en lecture seule : il ne peut rien modifier.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            type(token).objects.filter(pk=token.pk).update(last_used_at=now)
        return user, token

    def authenticate_header(self, request) -> str:
        return "Token"
