"""OpenID Connect sign-in with ProConnect and FranceConnect, through Authlib.

Authlib checks the state (kept in the session, used once), the nonce, the issuer, the audience, the expiry
and the signature of the ID token against the provider's published keys, and sends a PKCE challenge. This
module adds what the French providers do their own way (a userinfo answered as a signed JWT), one French
message per failure, and logs that name the failure but never the person.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.common.security import generate_token
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

logger = logging.getLogger(__name__)

SESSION_PROVIDER = "oidc_provider"
SESSION_ID_TOKEN = "oidc_id_token"  # noqa: S105 (a session key, not a secret)
# FranceConnect asks for 32 characters at least.
_RANDOM_LENGTH = 48
_TIMEOUT_SECONDS = 10

_apps: dict[tuple[str, str, str], DjangoOAuth2App] = {}


class SignInRefused(Exception):
    """The provider's answer cannot be trusted or names nobody we may let in."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class SignedIn:
    provider: str
    subject: str
    claims: dict[str, Any]
    id_token: str


def is_enabled(provider: str) -> bool:
    return bool(settings.OIDC_PROVIDERS.get(provider, {}).get("client_id"))


def _app(provider: str) -> DjangoOAuth2App:
    """One client per configuration; it keeps the provider's metadata and keys once fetched."""
    config = settings.OIDC_PROVIDERS[provider]
    key = (provider, config["discovery_url"], config["client_id"])
    if key not in _apps:
        _apps[key] = OAuth().register(
            name=provider,
            client_id=config["client_id"],
            client_secret=config["client_secret"],
            server_metadata_url=config["discovery_url"],
            client_kwargs={
                "scope": config["scope"],
                "code_challenge_method": "S256",
                "default_timeout": _TIMEOUT_SECONDS,
            },
        )
    return _apps[key]


def start(request: HttpRequest, provider: str, redirect_uri: str) -> HttpResponseRedirect:
    try:
        return _app(provider).authorize_redirect(
            request,
            redirect_uri,
            state=generate_token(_RANDOM_LENGTH),
            nonce=generate_token(_RANDOM_LENGTH),
            **({"acr_values": acr} if (acr := settings.OIDC_PROVIDERS[provider].get("acr_values")) else {}),
        )
    except (requests.RequestException, ValueError, RuntimeError) as exc:
        logger.warning("oidc start failed: provider=%s error=%s", provider, type(exc).__name__)
        raise SignInRefused("unreachable", UNREACHABLE) from exc


UNREACHABLE = (
    "Le service d'identification ne répond pas. Réessayez dans quelques minutes ou connectez-vous par mot de passe."
)
CANCELLED = "La connexion a été annulée : vous n'êtes pas connecté."
EXPIRED = (
    "Cette réponse de connexion n'est plus valable (déjà utilisée, trop ancienne ou venue d'un autre navigateur). "
    "Recommencez la connexion."
)
UNTRUSTED = (
    "La réponse du service d'identification n'a pas pu être vérifiée : vous n'êtes pas connecté. "
    "Recommencez la connexion."
)


def finish(request: HttpRequest, provider: str) -> SignedIn:
    """Check the provider's answer and return who it names; raises ``SignInRefused`` otherwise."""
    app = _app(provider)
    try:
        token = app.authorize_access_token(request)
        claims = token.get("userinfo")
        if not claims or "sub" not in claims:
            raise SignInRefused("no_id_token", UNTRUSTED)
        info = _userinfo(app, token)
    except MismatchingStateError as exc:
        raise SignInRefused("state", EXPIRED) from exc
    except OAuthError as exc:
        if exc.error == "access_denied":
            raise SignInRefused("access_denied", CANCELLED) from exc
        raise SignInRefused(f"oauth:{exc.error}", UNTRUSTED) from exc
    except (AuthlibBaseError, JoseError, ValueError) as exc:
        raise SignInRefused(f"id_token:{type(exc).__name__}", UNTRUSTED) from exc
    except requests.RequestException as exc:
        raise SignInRefused(f"unreachable:{type(exc).__name__}", UNREACHABLE) from exc
    if info.get("sub", claims["sub"]) != claims["sub"]:
        raise SignInRefused("userinfo_subject", UNTRUSTED)
    return SignedIn(
        provider=provider, subject=str(claims["sub"]), claims={**claims, **info}, id_token=token["id_token"]
    )


def _userinfo(app: DjangoOAuth2App, token: dict[str, Any]) -> dict[str, Any]:
    """ProConnect and FranceConnect answer a signed JWT; other providers plain JSON."""
    metadata = app.load_server_metadata()
    if not metadata.get("userinfo_endpoint"):
        return {}
    response = app.get(metadata["userinfo_endpoint"], token=token)
    response.raise_for_status()
    if not response.headers.get("Content-Type", "").startswith("application/jwt"):
        return dict(response.json())
    keys = KeySet.import_key_set(app.fetch_jwk_set())
    decoded = jwt.decode(
        response.text.strip(),
        keys,
        registry=JWSRegistry(
            algorithms=metadata.get("userinfo_signing_alg_values_supported"), strict_check_header=False
        ),
    )
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": metadata["issuer"]}, aud={"essential": True, "value": app.client_id}
    ).validate(decoded.claims)
    return dict(decoded.claims)


def remember(request: HttpRequest, signed_in: SignedIn) -> None:
    """Called after ``login``: the ID token is the hint the provider needs to end its own session."""
    request.session[SESSION_PROVIDER] = signed_in.provider
    request.session[SESSION_ID_TOKEN] = signed_in.id_token


def end_session_url(provider: str, id_token: str, post_logout_redirect_uri: str) -> str | None:
    """Where to send the browser so that logging out here logs out at the provider too."""
    if not is_enabled(provider):
        return None
    try:
        result = _app(provider).create_logout_url(
            post_logout_redirect_uri=post_logout_redirect_uri, id_token_hint=id_token
        )
    except (requests.RequestException, RuntimeError, ValueError) as exc:
        logger.warning("oidc logout not propagated: provider=%s error=%s", provider, type(exc).__name__)
        return None
    return str(result["url"])


def log_refusal(provider: str, exc: SignInRefused) -> None:
    """The reason is a code (``state``, ``id_token:BadSignatureError``…), never a claim of the person."""
    logger.warning("oidc sign-in refused: provider=%s reason=%s", provider, exc.reason)
