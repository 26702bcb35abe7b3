"""The reader's memberships, read once per request through the user's reverse relation.

This module only reads: it imports no organisations code, so models of every layer (and the
organisations app's own permissions) can scope their rows with it without an import cycle.
"""

from __future__ import annotations

from typing import Any

import rules

from clea.lib.roles import OrganisationKind


def active_memberships(user: Any) -> list[Any]:
    """Active memberships of active organisations, organisation loaded, cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_clea_memberships", None)
    if cached is None:
        cached = list(
            user.memberships.filter(is_active=True, organisation__is_active=True)
            .select_related("organisation")
            .order_by("organisation__name", "role")
        )
        user._clea_memberships = cached
    return cached


def act_for_only(user: Any, organisation_id: int) -> list[Any]:
    """Narrow the user's memberships, for the rest of the request, to one organisation (an API token's):
    every visibility rule reads this cache, so the request sees what that organisation sees, nothing more."""
    narrowed = [m for m in active_memberships(user) if m.organisation_id == organisation_id]
    user._clea_memberships = narrowed
    user._clea_acting_for = organisation_id
    return narrowed


def acts_for_one_organisation(user: Any) -> bool:
    """An API token's request: what the person holds in their own name (a jury seat) is out of its scope."""
    return getattr(user, "_clea_acting_for", None) is not None


def organisation_ids(user: Any) -> set[int]:
    """Ids of the organisations the user belongs to (for the ``visible_to`` querysets)."""
    return {m.organisation_id for m in active_memberships(user)}


def roles_in(user: Any, organisation: Any) -> set[str]:
    return {m.role for m in active_memberships(user) if m.organisation_id == organisation.pk}


@rules.predicate
def is_certifier(user: Any) -> bool:
    """Staff of an active certifier organisation (any role there)."""
    return any(m.organisation.kind == OrganisationKind.CERTIFIER for m in active_memberships(user))


def is_candidate(user: Any) -> bool:
    """A person with a candidate space (they follow their own dossiers, nothing else)."""
    return bool(user.is_authenticated and hasattr(user, "candidate_account"))


def is_professional(user: Any) -> bool:
    """Logged in and not a candidate: someone working around candidates (any organisation, or none yet)."""
    return bool(user.is_authenticated and not is_candidate(user))
