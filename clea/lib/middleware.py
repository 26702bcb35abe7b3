"""Request hygiene in one place, before anything reads the request: bodies over ``REQUEST_MAX_BYTES``
refused with a French 413 (Django would answer a bare 400 once a view reads them), NUL bytes with a
French 400 (the database would fail on them); and the headers every answer carries."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_plus

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from clea.lib.failures import answer

NUL_REFUSED = "Caractère nul refusé dans l'adresse ou le formulaire : retirez-le, puis réessayez."
# Powerful browser features the platform never uses.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
TOO_LARGE = "Envoi trop volumineux : {limit} Mo au plus (formulaire et fichiers compris)."
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or "\x00" in unquote_plus(request.META.get("QUERY_STRING", "")):
        return True
    # The API reads JSON only (its parser refuses NUL bytes); reading a form here would bypass DRF's 415.
    if request.method == "POST" and request.content_type in FORM_TYPES and not request.path.startswith("/api/"):
        return any("\x00" in value for values in request.POST.lists() for value in values[1] if isinstance(value, str))
    return False


class RequestHygieneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _too_large(request):
            message = TOO_LARGE.format(limit=settings.REQUEST_MAX_BYTES // (1024 * 1024))
            response = answer(request, 413, message, shown=message)
        elif _has_nul(request):
            response = answer(request, 400, NUL_REFUSED, shown=NUL_REFUSED)
        else:
            response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def _too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False  # a malformed length: Django reads no body then
    return length > settings.REQUEST_MAX_BYTES
