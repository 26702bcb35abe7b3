"""Who may do what in habilitation campaigns; views call these, never roles directly."""

from __future__ import annotations

from typing import Any

import rules

from clea.accounts.memberships import active_memberships, is_certifier, roles_in
from clea.lib.roles import OrganisationKind, Role

APPLYING_KINDS = (OrganisationKind.EVALUATOR, OrganisationKind.TRAINING)


def applying_organisations(user: Any) -> list:
    """Organisations the user administers that may apply for a habilitation."""
    return [
        m.organisation
        for m in active_memberships(user)
        if m.role == Role.ADMIN and m.organisation.kind in APPLYING_KINDS
    ]


@rules.predicate
def can_run_campaigns(user: Any) -> bool:
    """Open campaigns, instruct and decide applications: certifier staff."""
    return is_certifier(user)


@rules.predicate
def can_see_campaigns(user: Any) -> bool:
    """The certifier, and the administrators of organisations that may apply."""
    return is_certifier(user) or bool(applying_organisations(user))


def can_view_application(user: Any, application: Any) -> bool:
    """The certifier and the applying organisation's members; anyone else gets a 404."""
    return is_certifier(user) or bool(roles_in(user, application.organisation))


def can_edit_application(user: Any, application: Any) -> bool:
    """The applying organisation's administrators."""
    return Role.ADMIN in roles_in(user, application.organisation)
