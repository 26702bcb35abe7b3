"""Who may do what in quality control; views call these, never roles directly."""

from __future__ import annotations

from typing import Any

import rules

from clea.accounts.memberships import active_memberships, is_certifier, roles_in
from clea.lib.roles import Role


@rules.predicate
def can_control(user: Any) -> bool:
    """Read risk signals, open audits and conclude them: certifier staff."""
    return is_certifier(user)


def audited_organisation_ids(user: Any) -> list[int]:
    return [m.organisation_id for m in active_memberships(user) if m.role in (Role.ADMIN, Role.EVALUATOR)]


@rules.predicate
def can_see_audits(user: Any) -> bool:
    return is_certifier(user) or bool(audited_organisation_ids(user))


def can_view_audited(user: Any, audited: Any) -> bool:
    """The certifier and the audited organisation's members; anyone else gets a 404."""
    return is_certifier(user) or bool(roles_in(user, audited.organisation))


def can_answer_audited(user: Any, audited: Any) -> bool:
    """The audited organisation's administrators and evaluators (they know the dossiers)."""
    return bool(roles_in(user, audited.organisation) & {Role.ADMIN, Role.EVALUATOR})
