"""Browser sessions: the idle limit of sensitive roles, the list of open sessions, ending the others."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from clea.accounts import second_factor
from clea.accounts.models import UserSession

LAST_SEEN = "clea_last_seen"
TOUCH_EVERY = 60  # seconds: the session row is written at most once a minute, not on every request


def idle_limit() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.SENSITIVE_SESSION_IDLE_MINUTES)


def is_idle(session: Any, now: datetime.datetime) -> bool:
    last = session.get(LAST_SEEN)
    return last is not None and now.timestamp() - last > idle_limit().total_seconds()


def touch(request: Any, user: Any, now: datetime.datetime) -> None:
    session = request.session
    last = session.get(LAST_SEEN)
    if last is not None and now.timestamp() - last < TOUCH_EVERY:
        return
    session[LAST_SEEN] = now.timestamp()
    if session.session_key is None:
        session.save()  # the key the row names
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "last_seen_at": now,
            "browser": request.META.get("HTTP_USER_AGENT", "")[:200],
        },
    )


def record_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """``user_logged_in`` receiver (auth plumbing, not domain flow): the new session is listed at once,
    and the next minute's requests write nothing."""
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(LAST_SEEN, None)
    request.session[second_factor.ENROLLED_KEY] = second_factor.is_enrolled(user)
    touch(request, user, timezone.now())


def open_sessions(user: Any) -> list[UserSession]:
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return list(UserSession.objects.filter(user=user, session_key__in=live))


@transaction.atomic
def end_other_sessions(user: Any, keep: str | None) -> int:
    others = UserSession.objects.filter(user=user).exclude(session_key=keep or "")
    keys = list(others.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    others.delete()
    return len(keys)
