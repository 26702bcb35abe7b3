"""Who handles meeting requests: the members of the evaluator organisation they were sent to."""

from __future__ import annotations

from clea.lib.roles import OrganisationKind, Role


def handling_organisation(user, current):
    """The current organisation when it is an evaluator and the user evaluates or administers there."""
    if current is None or current.organisation is None or current.kind != OrganisationKind.EVALUATOR:
        return None
    return current.organisation if current.has_role(Role.EVALUATOR, Role.ADMIN) else None


def can_handle_requests(user, current) -> bool:
    return handling_organisation(user, current) is not None
