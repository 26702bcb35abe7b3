"""Who answers the person's requests on their data: the administrators of the dossier's evaluator
organisation (erasing is irreversible; evaluators see the queue through their administrator)."""

from __future__ import annotations

from clea.lib.roles import OrganisationKind, Role


def answering_organisation(user, current):
    if current is None or current.organisation is None or current.kind != OrganisationKind.EVALUATOR:
        return None
    return current.organisation if current.has_role(Role.ADMIN) else None


def can_answer_requests(user, current) -> bool:
    return answering_organisation(user, current) is not None
