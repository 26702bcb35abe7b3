"""What a request gets when the server fails: a French page (or JSON for the API), and a 503 with
``Retry-After`` while the database is unreachable, which recovers on its own (nothing was half written:
every change runs in a transaction).

Django calls ``server_error`` from inside its exception handler, for errors raised by views and
middleware alike, so the database error is still ``sys.exc_info()``. The templates need no database.
"""

from __future__ import annotations

import sys

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

RETRY_AFTER_SECONDS = 30
UNAVAILABLE = "Service momentanément indisponible : réessayez dans quelques instants."
UNEXPECTED = "Erreur inattendue du serveur : réessayez dans quelques minutes."


def database_unreachable(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    unavailable = database_unreachable(sys.exc_info()[1])
    status = 503 if unavailable else 500
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": UNAVAILABLE if unavailable else UNEXPECTED}, status=status)
    else:
        response = HttpResponse(loader.get_template(f"{status}.html").render(), status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


CSRF_REFUSED = (
    "Le formulaire a expiré ou ne vient pas de ce site : rechargez la page, puis renvoyez-le. "
    "Les cookies doivent être acceptés."
)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: in French, in the site's error layout (the reason stays in Django's log)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": CSRF_REFUSED}, status=403)
    page = loader.get_template("403_csrf.html").render({"message": CSRF_REFUSED})
    return HttpResponse(page, status=403)


NOT_FOUND = "Ressource introuvable."
FORBIDDEN = "Accès refusé."
BAD_REQUEST = "Requête incorrecte."


def answer(request: HttpRequest, status: int, detail: str, *, shown: str = "") -> HttpResponse:
    """JSON ``{"detail"}`` under /api/, else the site's error page (``shown``: a message it displays)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail}, status=status)
    return HttpResponse(loader.get_template(f"{status}.html").render({"message": shown}), status=status)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler404``: outside the views too (unknown path, malformed id in a URL), JSON under /api/."""
    return answer(request, 404, NOT_FOUND)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return answer(request, 403, FORBIDDEN)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return answer(request, 400, BAD_REQUEST)
