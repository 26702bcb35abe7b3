"""Sensitive roles prove their second factor before anything else (``clea.accounts.second_factor``).

Pages send them to enrol (first login) or to type a code; the API answers 403 with the reason. Tokens
need no code: they are issued from a verified session (« Mon compte » is behind this middleware)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from clea.accounts import second_factor, sessions

# What a person without the second factor may still reach: the two steps themselves and the way out.
OPEN = {
    "accounts:second_factor_enrol",
    "accounts:second_factor_verify",
    "accounts:logout",
    "pages:health",
    "pages:accessibility",
}


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and (request.session.get(second_factor.ENROLLED_KEY) or second_factor.required_for(user))
        ):
            try:
                view_name = resolve(request.path_info).view_name
            except Resolver404:
                view_name = ""
            if view_name and view_name not in OPEN:
                if request.path_info.startswith("/api/"):
                    return JsonResponse(
                        {"detail": "Double authentification requise : validez votre code dans le navigateur."},
                        status=403,
                    )
                step = "verify" if second_factor.is_enrolled(user) else "enrol"
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse(f'accounts:second_factor_{step}')}?{query}")
        return self.get_response(request)


class SessionActivityMiddleware:
    """Records when each browser was last active (listed in « Mon compte »); a sensitive role's session
    ends after ``SENSITIVE_SESSION_IDLE_MINUTES`` without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = timezone.now()
            if second_factor.required_for(user) and sessions.is_idle(request.session, now):
                logout(request)
                messages.info(request, "Votre session a expiré après une période d'inactivité : reconnectez-vous.")
            else:
                sessions.touch(request, user, now)
        return self.get_response(request)
