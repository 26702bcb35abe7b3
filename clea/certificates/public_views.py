"""Public verification of a certificate from its code (no login), page and JSON.

Every lookup counts against the client's allowance (``ratelimit``); past it, 429 with a French
message and no database access. Known, unknown and malformed codes take the same path (one query,
same template, status 200), and an unknown code gets "inconnu" and nothing else.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from clea.certificates import ratelimit
from clea.certificates.forms import VerifyForm
from clea.certificates.verification import lookup

TOO_MANY = (
    "Trop de vérifications depuis votre connexion : réessayez dans quelques minutes. "
    "Chaque certificat porte son propre code ; il n'est pas possible de les essayer au hasard."
)


def _private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_not_required
@require_GET
def verify_form(request):
    form = VerifyForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("verification:result", code=form.cleaned_data["code"])
    return _private(
        render(
            request,
            "certificates/verify_form.html",
            {"title": "Vérifier un certificat", "form": form},
            status=400 if form.is_bound else 200,
        )
    )


@login_not_required
@never_cache
@require_GET
def verify_result(request, code):
    if ratelimit.over_limit(request):
        _, window = ratelimit.limits()
        response = render(
            request,
            "certificates/verify_result.html",
            {"title": "Vérification d'un certificat", "too_many": TOO_MANY},
            status=429,
        )
        response["Retry-After"] = str(window)
        return _private(response)
    answer = lookup(code)
    return _private(
        render(
            request,
            "certificates/verify_result.html",
            {"title": "Vérification d'un certificat", "answer": answer, "form": VerifyForm()},
        )
    )
