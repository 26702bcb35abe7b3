"""FranceConnect for candidates: open the invited space, link it, and come back without a password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from clea.accounts import external, oidc
from clea.accounts.memberships import is_candidate
from clea.accounts.models import IdentityProvider
from clea.accounts.views_oidc import refused
from clea.candidates import franceconnect, services
from clea.candidates.views import link_problem
from clea.lib.errors import RuleViolation

FRANCECONNECT = IdentityProvider.FRANCECONNECT.value
_INVITATION = "franceconnect_invitation"
NO_SPACE = (
    "Aucun espace candidat n'est lié à cette identité FranceConnect. Ouvrez le lien d'invitation reçu de votre "
    "organisme évaluateur et choisissez « S'identifier avec FranceConnect »."
)


def _require_enabled() -> None:
    if not oidc.is_enabled(FRANCECONNECT):
        raise Http404("FranceConnect n'est pas proposé sur cette plateforme.")


def _start(request: HttpRequest) -> HttpResponse:
    try:
        return oidc.start(
            request, FRANCECONNECT, request.build_absolute_uri(reverse("candidates:franceconnect_callback"))
        )
    except oidc.SignInRefused as exc:
        return refused(request, FRANCECONNECT, exc, retry_url=reverse("accounts:login"))


@login_not_required
def start(request: HttpRequest) -> HttpResponse:
    _require_enabled()
    request.session.pop(_INVITATION, None)
    return _start(request)


@login_not_required
def activate(request: HttpRequest, token: str) -> HttpResponse:
    _require_enabled()
    try:
        services.find_invitation(token)
    except RuleViolation as exc:
        return link_problem(request, exc)
    request.session[_INVITATION] = token
    return _start(request)


@login_not_required
def callback(request: HttpRequest) -> HttpResponse:
    _require_enabled()
    current = request.user if request.user.is_authenticated else None
    token = request.session.pop(_INVITATION, None)
    try:
        signed_in = oidc.finish(request, FRANCECONNECT)
        user = external.linked_account(signed_in, current=current)
        if user is None and current is not None and is_candidate(current):
            franceconnect.link_space(current, signed_in)
            user = current
        elif user is None and token:
            user = franceconnect.activate(token, signed_in)
        elif user is None:
            raise oidc.SignInRefused("no_account", NO_SPACE)
    except oidc.SignInRefused as exc:
        return refused(request, FRANCECONNECT, exc, retry_url=reverse("accounts:login"))
    except RuleViolation as exc:
        return refused(
            request, FRANCECONNECT, oidc.SignInRefused("identity", exc.message), retry_url=reverse("accounts:login")
        )
    if not is_candidate(user):
        return refused(
            request, FRANCECONNECT, oidc.SignInRefused("not_candidate", NO_SPACE), retry_url=reverse("accounts:login")
        )
    if current is None:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Vous êtes connecté avec FranceConnect.")
    else:
        messages.success(request, "Votre espace est lié à FranceConnect : vous pourrez vous connecter par ce service.")
    oidc.remember(request, signed_in)
    return redirect("candidates:home")
