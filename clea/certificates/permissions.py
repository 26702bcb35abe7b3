"""Who may do what with certificates. Visibility itself is ``Certificate.objects.visible_to(user)``."""

from __future__ import annotations

import rules

from clea.organisations.models import Role
from clea.organisations.permissions import is_certifier, roles_in


@rules.predicate
def can_manage_certificates(user) -> bool:
    """Issue, print, duplicate, revoke, report to the CPF system: certifier staff only."""
    return is_certifier(user)


@rules.predicate
def can_download_skills_record(user, dossier) -> bool:
    """The record of acquired skills of a dossier: certifier staff, and evaluators and administrators
    of the evaluator organisation holding it (a trainer who sees the dossier gets a 403)."""
    return is_certifier(user) or bool(roles_in(user, dossier.evaluator_organisation) & {Role.ADMIN, Role.EVALUATOR})
