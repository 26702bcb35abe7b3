"""Who sees fee statements (docs/rules.md rule 19)."""

from __future__ import annotations

from clea.accounts.memberships import active_memberships, is_certifier
from clea.lib.roles import OrganisationKind, Role
from clea.organisations.models import Organisation


def administered_evaluators(user) -> list[Organisation]:
    """Evaluator organisations the user administers (no query: memberships are cached per request)."""
    seen: dict[int, Organisation] = {}
    for membership in active_memberships(user):
        if membership.role == Role.ADMIN and membership.organisation.kind == OrganisationKind.EVALUATOR:
            seen.setdefault(membership.organisation_id, membership.organisation)
    return list(seen.values())


def can_see_fee_statements(user) -> bool:
    """The certifier sees every organisation's; an evaluator organisation's administrators see their own."""
    return is_certifier(user) or bool(administered_evaluators(user))
