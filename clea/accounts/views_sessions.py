"""« Mon compte › Sessions ouvertes »: where the person is logged in, and ending the other ones."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from clea.accounts import second_factor, sessions
from clea.lib.plurals import ngettext


def session_list(request):
    return render(
        request,
        "accounts/sessions.html",
        {
            "title": "Mes sessions ouvertes",
            "open_sessions": sessions.open_sessions(request.user),
            "current": request.session.session_key,
            "idle_minutes": int(sessions.idle_limit().total_seconds() // 60)
            if second_factor.required_for(request.user)
            else None,
        },
    )


@require_POST
def end_others(request):
    ended = sessions.end_other_sessions(request.user, keep=request.session.session_key)
    messages.success(
        request, ngettext("%(n)d autre session fermée.", "%(n)d autres sessions fermées.", ended) % {"n": ended}
    )
    return redirect("accounts:sessions")
