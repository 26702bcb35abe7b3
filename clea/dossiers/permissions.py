"""Who may act on a dossier. Visibility itself is ``Dossier.objects.visible_to(user)``."""

from __future__ import annotations

import rules

from clea.organisations.models import OrganisationKind, Role
from clea.organisations.permissions import active_memberships, is_certifier, roles_in


@rules.predicate
def can_open_dossier(user, organisation) -> bool:
    """Evaluators and administrators of an evaluator organisation."""
    return (
        organisation is not None
        and organisation.kind == OrganisationKind.EVALUATOR
        and bool(roles_in(user, organisation) & {Role.ADMIN, Role.EVALUATOR})
    )


@rules.predicate
def can_work_on_dossier(user, dossier) -> bool:
    """Evaluators and administrators of the evaluator organisation holding the dossier."""
    return bool(roles_in(user, dossier.evaluator_organisation) & {Role.ADMIN, Role.EVALUATOR})


@rules.predicate
def can_record_progress(user, path) -> bool:
    """The path's trainer, and trainers or administrators of its training organisation."""
    if path.trainer_id == user.pk:
        return True
    return bool(roles_in(user, path.training_organisation) & {Role.ADMIN, Role.TRAINER})


def evaluator_organisations(user):
    return [
        m.organisation
        for m in active_memberships(user)
        if m.organisation.kind == OrganisationKind.EVALUATOR and m.role in (Role.ADMIN, Role.EVALUATOR)
    ]


def can_list_dossiers(user, current) -> bool:
    """The dossiers list holds something for the certifier, evaluator and training organisations."""
    return is_certifier(user) or (
        current is not None and current.kind in (OrganisationKind.EVALUATOR, OrganisationKind.TRAINING)
    )
