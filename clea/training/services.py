"""Proposing a training path and following its progress."""

from __future__ import annotations

import datetime

from django.db import transaction

from clea.accounts.models import User
from clea.dossiers.deadlines import is_past
from clea.dossiers.models import Dossier, EventKind
from clea.dossiers.services import lock_dossier, record_event
from clea.dossiers.workflow import Action, check
from clea.evaluations.rules import trainer_problem
from clea.evaluations.services import dossier_assessment, evaluator_ids
from clea.lib.errors import Conflict, RuleViolation
from clea.lib.plurals import ngettext
from clea.notifications.models import Kind
from clea.notifications.sending import candidate_recipients, notify
from clea.organisations.models import Organisation, OrganisationKind, Role
from clea.referentiel.models import Criterion
from clea.training.models import ProgressNote, TrainingPath


def missing_criteria_codes(dossier: Dossier) -> list[str]:
    return [c.code for c in dossier_assessment(dossier).missing_criteria]


@transaction.atomic
def propose_training_path(
    dossier: Dossier,
    *,
    training_organisation: Organisation,
    trainer: User,
    planned_hours: int,
    start_date: datetime.date,
    end_date: datetime.date,
    target_codes: list[str],
    by: User,
) -> TrainingPath:
    """Targets are at least every missing criterion; more may be added (docs/rules.md rule 12)."""
    dossier = lock_dossier(dossier)
    check(dossier.state, Action.PROPOSE_TRAINING)
    if training_organisation.kind != OrganisationKind.TRAINING:
        raise RuleViolation("Choisissez un organisme de formation.", field="training_organisation")
    if not trainer.memberships.filter(
        organisation=training_organisation, is_active=True, role__in=[Role.TRAINER, Role.ADMIN]
    ).exists():
        raise RuleViolation("Le formateur doit appartenir à l'organisme de formation choisi.", field="trainer")
    problem = trainer_problem(trainer.pk, evaluator_ids(dossier))
    if problem:
        raise RuleViolation(problem, field="trainer")
    if not 1 <= planned_hours <= 2000:
        raise RuleViolation("La durée prévue va de 1 à 2 000 heures.", field="planned_hours")
    if end_date < start_date:
        raise RuleViolation("La fin du parcours doit suivre son début.", field="end_date")
    if is_past(dossier.deadline, end_date):
        raise RuleViolation(
            f"Le parcours doit finir avant la limite des 5 ans ({dossier.deadline:%d/%m/%Y}).", field="end_date"
        )
    missing = set(missing_criteria_codes(dossier))
    wanted = set(target_codes) | missing
    criteria = list(Criterion.objects.filter(version=dossier.referentiel_version, code__in=wanted))
    unknown = sorted(wanted - {c.code for c in criteria})
    if unknown:
        raise RuleViolation(
            ngettext("Critère inconnu", "Critères inconnus", len(unknown)) + f" : {', '.join(unknown)}.",
            field="targets",
        )
    path = TrainingPath.objects.create(
        dossier=dossier,
        training_organisation=training_organisation,
        trainer=trainer,
        planned_hours=planned_hours,
        start_date=start_date,
        end_date=end_date,
        proposed_by=by,
    )
    path.targets.set(criteria)
    record_event(
        dossier,
        EventKind.TRAINING_PROPOSED,
        f"Parcours de {planned_hours} h proposé chez « {training_organisation.name} » "
        f"({len(criteria)} critère(s) visé(s))",
        by=by,
    )
    recipients = candidate_recipients(dossier.candidate)
    notify(
        Kind.TRAINING_PROPOSED,
        template="training_proposed",
        context={
            "hours": planned_hours,
            "training_organisation": training_organisation.name,
            "start": start_date,
            "end": end_date,
        },
        users=[trainer, *recipients.get("users", [])],
        emails=recipients.get("emails", []),
    )
    return path


@transaction.atomic
def record_progress(
    path: TrainingPath, *, date: datetime.date, hours_done: int, note: str, by: User, today: datetime.date
) -> ProgressNote:
    if not path.dossier.is_open:
        raise Conflict("Ce dossier est fermé : l'avancement ne se note plus.")
    if date > today:
        raise RuleViolation("L'avancement ne peut pas être daté dans le futur.", field="date")
    if not 0 <= hours_done <= 2000:
        raise RuleViolation("Les heures réalisées vont de 0 à 2 000.", field="hours_done")
    if not note.strip():
        raise RuleViolation("Décrivez l'avancement.", field="note")
    progress = ProgressNote.objects.create(path=path, date=date, hours_done=hours_done, note=note, recorded_by=by)
    record_event(
        path.dossier,
        EventKind.TRAINING_PROGRESS,
        f"Avancement noté : {hours_done} h",
        by=by,
        organisation=path.training_organisation,
    )
    return progress
