"""Who answers absence requests."""

import rules

from clea.accounts.memberships import active_memberships, roles_in
from clea.lib.roles import OrganisationKind, Role


@rules.predicate
def can_answer_absence(user, request) -> bool:
    """The employer's administrators and employer contacts."""
    return bool(roles_in(user, request.employer) & {Role.ADMIN, Role.EMPLOYER_CONTACT})


def employer_organisations(user):
    return [
        m.organisation
        for m in active_memberships(user)
        if m.organisation.kind == OrganisationKind.EMPLOYER and m.role in (Role.ADMIN, Role.EMPLOYER_CONTACT)
    ]


def can_list_absences(user, current) -> bool:
    """The employer answers absence requests from its list (others reach theirs from the dossier)."""
    return current is not None and current.kind == OrganisationKind.EMPLOYER
