"""ProConnect sign-in for professionals, and the logout that ends the provider's session too."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from clea.accounts import external, oidc
from clea.accounts.models import IdentityProvider, User

_NEXT = "oidc_next"
PROCONNECT = IdentityProvider.PROCONNECT.value


def refused(request: HttpRequest, provider: str, exc: oidc.SignInRefused, *, retry_url: str) -> HttpResponse:
    oidc.log_refusal(provider, exc)
    return render(
        request,
        "accounts/sign_in_refused.html",
        {"title": "Connexion refusée", "message": exc.message, "retry_url": retry_url},
        status=503 if exc.reason.startswith("unreachable") else 400,
    )


@login_not_required
def proconnect_start(request: HttpRequest) -> HttpResponse:
    if not oidc.is_enabled(PROCONNECT):
        raise Http404("ProConnect n'est pas proposé sur cette plateforme.")
    next_url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        request.session[_NEXT] = next_url
    try:
        return oidc.start(request, PROCONNECT, request.build_absolute_uri(reverse("accounts:proconnect_callback")))
    except oidc.SignInRefused as exc:
        return refused(request, PROCONNECT, exc, retry_url=reverse("accounts:login"))


@login_not_required
def proconnect_callback(request: HttpRequest) -> HttpResponse:
    if not oidc.is_enabled(PROCONNECT):
        raise Http404("ProConnect n'est pas proposé sur cette plateforme.")
    current = request.user if request.user.is_authenticated else None
    try:
        signed_in = oidc.finish(request, PROCONNECT)
        user = external.account_for(signed_in, current=current)
    except oidc.SignInRefused as exc:
        return refused(request, PROCONNECT, exc, retry_url=reverse("accounts:profile" if current else "accounts:login"))
    next_url = request.session.pop(_NEXT, "")
    if current is None:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    else:
        messages.success(request, "Votre compte est lié à ProConnect : vous pourrez vous connecter par ce service.")
        next_url = reverse("accounts:profile")
    oidc.remember(request, signed_in)
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


@require_POST
def unlink(request: HttpRequest, provider: str) -> HttpResponse:
    if provider not in IdentityProvider.values:
        raise Http404("Service inconnu.")
    assert isinstance(request.user, User)  # login required (LoginRequiredMiddleware)
    if external.unlink(request.user, provider):
        messages.success(request, f"Le lien avec {IdentityProvider(provider).label} est retiré.")
    return redirect("accounts:profile")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Log out here, then at the provider the person came through, which sends them back to the login page."""
    provider = request.session.get(oidc.SESSION_PROVIDER)
    id_token = request.session.get(oidc.SESSION_ID_TOKEN)
    logout(request)
    if provider and id_token:
        url = oidc.end_session_url(provider, id_token, request.build_absolute_uri(reverse("accounts:login")))
        if url:
            return redirect(url)
    return redirect(settings.LOGOUT_REDIRECT_URL)
