import rules

from clea.organisations.models import OrganisationKind, Role
from clea.organisations.permissions import active_memberships, is_certifier, roles_in


@rules.predicate
def can_organise(user, session) -> bool:
    """Organisers and administrators of the session's jury organiser."""
    return bool(roles_in(user, session.organiser) & {Role.ADMIN, Role.JURY_ORGANISER})


def organiser_organisations(user):
    return [
        m.organisation
        for m in active_memberships(user)
        if m.organisation.kind == "jury_organiser" and m.role in (Role.ADMIN, Role.JURY_ORGANISER)
    ]


def can_list_jury_sessions(user, current) -> bool:
    return is_certifier(user) or (current is not None and current.kind == OrganisationKind.JURY_ORGANISER)
