"""Who may do what. Each predicate lists its cases; views and the API call these, never roles directly.

Memberships are read once per request by ``clea.accounts.memberships``.
"""

from __future__ import annotations

import rules

from clea.accounts.memberships import active_memberships, is_certifier, organisation_ids, roles_in
from clea.organisations.models import Organisation, OrganisationKind, Role

__all__ = ["active_memberships", "is_certifier", "organisation_ids", "roles_in"]


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
