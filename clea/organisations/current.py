"""The organisation a user is acting for in this request (switchable when they have several)."""

from __future__ import annotations

from dataclasses import dataclass, field

from clea.organisations.models import Membership, Organisation
from clea.organisations.permissions import active_memberships

SESSION_KEY = "current_organisation"


@dataclass
class CurrentOrganisation:
    organisation: Organisation | None = None
    roles: frozenset[str] = frozenset()
    organisations: list[Organisation] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.organisation.kind if self.organisation else ""

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


def resolve_current(request) -> CurrentOrganisation:
    memberships: list[Membership] = active_memberships(request.user)
    if not memberships:
        return CurrentOrganisation()
    organisations: dict[int, Organisation] = {}
    for membership in memberships:
        organisations.setdefault(membership.organisation_id, membership.organisation)
    chosen = request.session.get(SESSION_KEY)
    current = next(
        (o for o in organisations.values() if str(o.public_id) == chosen),
        next(iter(organisations.values())),
    )
    return CurrentOrganisation(
        organisation=current,
        roles=frozenset(m.role for m in memberships if m.organisation_id == current.pk),
        organisations=list(organisations.values()),
    )
