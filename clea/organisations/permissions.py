"""Who may do what. Each predicate lists its cases; views and the API call these, never roles directly.

Memberships are read once per request and cached on the user object.
"""

from __future__ import annotations

import rules

from clea.organisations.models import Membership, Organisation, OrganisationKind, Role


def active_memberships(user) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_clea_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.active()
            .filter(user=user)
            .select_related("organisation")
            .order_by("organisation__name", "role")
        )
        user._clea_memberships = cached
    return cached


def organisation_ids(user) -> set[int]:
    """Ids of the organisations the user belongs to (for the ``visible_to`` querysets)."""
    return {m.organisation_id for m in active_memberships(user)}


def roles_in(user, organisation: Organisation) -> set[str]:
    return {m.role for m in active_memberships(user) if m.organisation_id == organisation.pk}


@rules.predicate
def is_certifier(user) -> bool:
    """Staff of an active certifier organisation (any role there)."""
    return any(m.organisation.kind == OrganisationKind.CERTIFIER for m in active_memberships(user))


@rules.predicate
def can_manage_referentiels(user) -> bool:
    """Import, put in force and archive référentiel versions: certifier staff only."""
    return is_certifier(user)


@rules.predicate
def can_manage_habilitations(user) -> bool:
    """Grant or withdraw habilitations and create organisations: certifier staff only."""
    return is_certifier(user)


@rules.predicate
def can_view_organisation(user, organisation: Organisation) -> bool:
    """Members of the organisation and certifier staff; anyone else gets a 404."""
    return is_certifier(user) or bool(roles_in(user, organisation))


@rules.predicate
def can_manage_members(user, organisation: Organisation) -> bool:
    """The organisation's administrators, and certifier staff (who set up new organisations)."""
    return is_certifier(user) or Role.ADMIN in roles_in(user, organisation)


@rules.predicate
def can_view_fees(user, organisation: Organisation) -> bool:
    """The certifier, and the administrators of the evaluator organisation that owes the fees."""
    return is_certifier(user) or (
        organisation.kind == OrganisationKind.EVALUATOR and Role.ADMIN in roles_in(user, organisation)
    )


rules.add_perm("referentiel.manage", can_manage_referentiels)
rules.add_perm("organisations.manage_habilitations", can_manage_habilitations)
rules.add_perm("organisations.view", can_view_organisation)
rules.add_perm("organisations.manage_members", can_manage_members)
rules.add_perm("funding.view_fees", can_view_fees)
