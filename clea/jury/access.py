"""Fetch one jury session (or one of its dossiers) for a request, for the screens and the API alike."""

from __future__ import annotations

from clea.jury.models import JurySession, SessionDossier
from clea.lib.access import get_or_404


def get_jury_session_for_user_or_404(user, public_id, *, for_update: bool = False) -> JurySession:
    """Visible to the organiser's staff, the session's members and the certifier; anyone else gets 404."""
    sessions = JurySession.objects.visible_to(user).select_related("organiser", "region").defer("minutes")
    return get_or_404(sessions, public_id, "Session de jury introuvable.", for_update=for_update)


def get_session_entry_or_404(session: JurySession, public_id, *, for_update: bool = False) -> SessionDossier:
    entries = session.entries.select_related("dossier")
    return get_or_404(entries, public_id, "Dossier introuvable dans cette session.", for_update=for_update)
