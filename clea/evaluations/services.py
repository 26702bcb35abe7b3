"""Running an évaluation: start, sittings, grid saves with revisions, closing, corrections, results."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from clea.accounts.models import User
from clea.dossiers.deadlines import is_past, path_deadline
from clea.dossiers.models import Dossier, EventKind
from clea.dossiers.services import lock_dossier, record_event, require_habilitation, set_state
from clea.dossiers.workflow import Action, State, check
from clea.evaluations import rules
from clea.evaluations.models import CriterionJudgement, Evaluation, EvaluationKind, Sitting
from clea.evaluations.rules import evaluator_problem
from clea.funding.fees import record_fee
from clea.funding.models import FeeKind
from clea.lib import limits
from clea.lib.errors import Conflict, RuleViolation
from clea.lib.plurals import ngettext
from clea.notifications.models import Kind
from clea.notifications.sending import candidate_recipients, notify
from clea.organisations.models import Role
from clea.organisations.permissions import organisation_ids
from clea.referentiel.models import Criterion, ReferentielVersion, VersionStatus
from clea.referentiel.scoring import Assessment, Judgement, RecordedJudgement, assess, latest_judgements
from clea.referentiel.structure import ReferentielSpec

JUDGED = (Judgement.ACQUIRED, Judgement.NOT_ACQUIRED)


def trainer_ids(dossier: Dossier) -> set[int]:
    return set(dossier.training_paths.values_list("trainer_id", flat=True))


def evaluator_ids(dossier: Dossier) -> set[int]:
    ids = set(dossier.evaluations.values_list("evaluator_id", flat=True))
    if dossier.evaluator_id:
        ids.add(dossier.evaluator_id)
    return ids


def _require_not_trainer(dossier: Dossier, user: User) -> None:
    problem = evaluator_problem(user.pk, trainer_ids(dossier))
    if problem:
        raise RuleViolation(problem)


_SPECS: dict[tuple[int, datetime.datetime], ReferentielSpec] = {}


def _spec(version: ReferentielVersion) -> ReferentielSpec:
    """Versions used by dossiers are in force or archived, hence immutable: their structure is read once
    per process (keyed with the creation time too, so a reused id never serves another version)."""
    if version.status == VersionStatus.DRAFT:
        return ReferentielVersion.objects.with_structure().get(pk=version.pk).to_spec()
    key = (version.pk, version.created_at)
    if key not in _SPECS:
        _SPECS[key] = ReferentielVersion.objects.with_structure().get(pk=version.pk).to_spec()
    return _SPECS[key]


def judgement_records(evaluations: QuerySet[Evaluation]) -> list[RecordedJudgement]:
    rows = CriterionJudgement.objects.filter(evaluation__in=evaluations).values_list(
        "criterion__code", "judgement", "recorded_at", "pk"
    )
    return [RecordedJudgement(code, Judgement(j), at, pk) for code, j, at, pk in rows]


def merged_judgements(dossier: Dossier, *, include_open: bool = False) -> dict[str, Judgement]:
    """The latest judgement of each criterion over the dossier's evaluations (préalable + finales)."""
    evaluations = dossier.evaluations.all()
    if not include_open:
        evaluations = evaluations.filter(closed_at__isnull=False)
    return latest_judgements(judgement_records(evaluations))


def dossier_assessment(dossier: Dossier, *, include_open: bool = False) -> Assessment:
    return assess(_spec(dossier.referentiel_version), merged_judgements(dossier, include_open=include_open))


@transaction.atomic
def start_evaluation(dossier: Dossier, *, kind: str, evaluator: User, by: User, today: datetime.date) -> Evaluation:
    dossier = lock_dossier(dossier)
    if not evaluator.memberships.filter(
        organisation_id=dossier.evaluator_organisation_id, role__in=[Role.EVALUATOR, Role.ADMIN], is_active=True
    ).exists():
        raise RuleViolation(
            "L'évaluateur doit appartenir à l'organisme évaluateur qui suit le dossier.", field="evaluator"
        )
    _require_not_trainer(dossier, evaluator)
    version = dossier.referentiel_version
    if kind == EvaluationKind.INITIAL:
        check(dossier.state, Action.START_INITIAL)
        scope = Criterion.objects.filter(version=version)
        new_state, event = State.INITIAL_ASSESSMENT, EventKind.INITIAL_STARTED
    else:
        check(dossier.state, Action.START_FINAL)
        if not dossier.evaluations.filter(kind=EvaluationKind.INITIAL, closed_at__isnull=False).exists():
            raise Conflict("L'évaluation finale suit une évaluation préalable clôturée.")
        if not dossier.training_paths.exists():
            raise Conflict("Proposez d'abord un parcours de formation.")
        if is_past(dossier.deadline, today):
            raise Conflict(
                f"Le délai de 5 ans est dépassé depuis le {dossier.deadline:%d/%m/%Y} : une nouvelle "
                "évaluation préalable est nécessaire."
            )
        acquired = {c for c, j in merged_judgements(dossier).items() if j == Judgement.ACQUIRED}
        scope = Criterion.objects.filter(version=version).exclude(code__in=acquired)
        new_state, event = State.FINAL_ASSESSMENT, EventKind.FINAL_STARTED
    evaluation = Evaluation.objects.create(dossier=dossier, kind=kind, referentiel_version=version, evaluator=evaluator)
    evaluation.scope.set(scope)
    set_state(dossier, new_state)
    record_event(dossier, event, f"{evaluation.get_kind_display()} commencée avec {evaluator}", by=by)
    return evaluation


IN_EVALUATION = (State.INITIAL_ASSESSMENT, State.FINAL_ASSESSMENT)


def _require_dossier_in_evaluation(dossier: Dossier) -> None:
    """An open evaluation of a withdrawn, closed or expired dossier is frozen."""
    if dossier.state not in IN_EVALUATION:
        raise Conflict(
            f"Le dossier n'est plus en évaluation (état : {dossier.state_label}) : cette évaluation ne change plus."
        )


def locked_evaluation(evaluation: Evaluation) -> Evaluation:
    return (
        # Lock only the evaluation row: PostgreSQL cannot lock the nullable side of the outer joins.
        Evaluation.objects.select_for_update(of=("self",))
        .select_related(
            "dossier__evaluator_organisation__commune__departement",
            "dossier__certification",
            "referentiel_version__profile",
        )
        .get(pk=evaluation.pk)
    )


@transaction.atomic
def add_sitting(
    evaluation: Evaluation, *, date: datetime.date, start: datetime.time, end: datetime.time, place: str, by: User
) -> Sitting:
    evaluation = locked_evaluation(evaluation)
    dossier = evaluation.dossier
    if evaluation.is_closed:
        raise Conflict("Cette évaluation est clôturée : on ne peut plus y ajouter de séance.")
    _require_dossier_in_evaluation(dossier)
    if end <= start:
        raise RuleViolation("La séance doit finir après son début.", field="end")
    require_habilitation(dossier.evaluator_organisation, dossier.certification, date)
    if evaluation.kind == EvaluationKind.FINAL:
        if is_past(dossier.deadline, date):
            raise Conflict(
                f"Cette date dépasse la limite du parcours ({dossier.deadline:%d/%m/%Y}) : une nouvelle "
                "évaluation préalable est nécessaire."
            )
        if dossier.initial_assessment_date and date < dossier.initial_assessment_date:
            raise RuleViolation("L'évaluation finale ne peut pas précéder l'évaluation préalable.", field="date")
    minutes = Sitting.minutes_between(start, end)
    total = evaluation.total_minutes() + minutes
    if total > evaluation.max_minutes:
        raise RuleViolation(
            f"Durée totale {total // 60} h {total % 60:02d} : l'{evaluation.get_kind_display().lower()} dure au "
            f"plus {evaluation.max_minutes // 60} h (profil de règles du référentiel).",
            field="end",
        )
    overlapping = Sitting.objects.filter(evaluation__dossier=dossier, date=date, start__lt=end, end__gt=start).first()
    if overlapping:
        raise RuleViolation(f"Cette séance chevauche celle du {overlapping} déjà enregistrée.", field="start")
    sitting = Sitting.objects.create(
        evaluation=evaluation, date=date, start=start, end=end, duration_minutes=minutes, place=place, recorded_by=by
    )
    record_event(
        dossier, EventKind.SITTING, f"Séance de {evaluation.get_kind_display().lower()} le {sitting} ({place})", by=by
    )
    return sitting


@dataclass(frozen=True)
class GridEntry:
    criterion_code: str
    judgement: str
    comment: str = ""
    # The id of the judgement the evaluator saw (None when the criterion had none).
    base_revision: int | None = None


@dataclass(frozen=True)
class StaleEntry:
    criterion_code: str
    judgement: str
    comment: str
    revision: int
    by: str
    at: datetime.datetime | None


class StaleGrid(Conflict):
    def __init__(self, stale: list[StaleEntry]) -> None:
        codes = ", ".join(s.criterion_code for s in stale)
        super().__init__(
            f"Quelqu'un d'autre a modifié entre-temps : {codes}. Sa saisie est affichée ; rien de votre "
            "enregistrement n'a été pris en compte, vérifiez puis enregistrez de nouveau."
        )
        self.stale = stale


def current_revisions(evaluation: Evaluation) -> dict[int, CriterionJudgement]:
    """Latest judgement per criterion id in this evaluation (two queries whatever the grid size)."""
    latest_ids = (
        CriterionJudgement.objects.filter(evaluation=evaluation)
        .values("criterion_id")
        .annotate(last=Max("pk"))
        .values_list("last", flat=True)
    )
    rows = CriterionJudgement.objects.filter(pk__in=list(latest_ids)).select_related("recorded_by")
    return {row.criterion_id: row for row in rows}


@transaction.atomic
def record_judgements(
    evaluation: Evaluation, entries: list[GridEntry], *, by: User, correction_reason: str = ""
) -> list[CriterionJudgement]:
    """Save grid cells all-or-nothing. A cell whose revision moved since it was read is refused (409)."""
    evaluation = locked_evaluation(evaluation)
    dossier = evaluation.dossier
    _require_not_trainer(dossier, by)
    if not evaluation.is_closed:
        _require_dossier_in_evaluation(dossier)
        if correction_reason.strip():
            raise RuleViolation("Une correction avec motif porte sur une évaluation clôturée ; celle-ci est en cours.")
    if evaluation.is_closed and not correction_reason.strip():
        raise Conflict(
            "Cette évaluation est clôturée : ses résultats ne changent plus. Une correction se fait avec un motif."
        )
    if evaluation.is_closed and dossier.state not in (State.TRAINING, State.READY_FOR_JURY, State.FINAL_ASSESSMENT):
        raise Conflict("Le dossier n'est plus à l'organisme évaluateur : les résultats ne peuvent plus être corrigés.")
    if not entries:
        raise RuleViolation("Aucun résultat à enregistrer.")
    scope = {c.code: c for c in evaluation.scope.all()}
    all_codes = set(Criterion.objects.filter(version=evaluation.referentiel_version).values_list("code", flat=True))
    unknown = sorted({e.criterion_code for e in entries} - all_codes)
    if unknown:
        raise RuleViolation(
            ngettext("Critère inconnu", "Critères inconnus", len(unknown))
            + f" dans ce référentiel : {', '.join(unknown)}."
        )
    outside = sorted({e.criterion_code for e in entries} - set(scope))
    if outside:
        raise RuleViolation(
            f"Critère(s) déjà acquis, hors de cette évaluation : {', '.join(outside)}. Ils restent acquis."
        )
    valid = {j.value for j in Judgement}
    bad = sorted(e.criterion_code for e in entries if e.judgement not in valid)
    if bad:
        raise RuleViolation(f"Résultat invalide pour {', '.join(bad)} : acquis, non acquis ou non évalué.")
    if len({e.criterion_code for e in entries}) != len(entries):
        raise RuleViolation("Un même critère apparaît deux fois dans l'enregistrement.")
    problem = rules.comments_problem({e.criterion_code: e.comment for e in entries})
    if problem:
        raise RuleViolation(problem)
    if len(correction_reason) > limits.REASON:
        raise RuleViolation(f"Motif de la correction trop long : {limits.REASON} caractères au plus.")
    current = current_revisions(evaluation)
    stale = []
    for entry in entries:
        latest = current.get(scope[entry.criterion_code].pk)
        if (latest.pk if latest else None) != entry.base_revision:
            stale.append(
                StaleEntry(
                    entry.criterion_code,
                    latest.judgement if latest else "",
                    latest.comment if latest else "",
                    latest.pk if latest else 0,
                    str(latest.recorded_by) if latest else "",
                    latest.recorded_at if latest else None,
                )
            )
    if stale:
        raise StaleGrid(stale)
    # Unchanged cells are not written again (saving the same grid twice adds nothing).
    changed = [
        e
        for e in entries
        if not (
            current.get(scope[e.criterion_code].pk)
            and current[scope[e.criterion_code].pk].judgement == e.judgement
            and current[scope[e.criterion_code].pk].comment == e.comment
        )
    ]
    created = CriterionJudgement.objects.bulk_create(
        CriterionJudgement(
            evaluation=evaluation,
            criterion=scope[e.criterion_code],
            judgement=e.judgement,
            comment=e.comment,
            recorded_by=by,
            correction_reason=correction_reason,
        )
        for e in changed
    )
    if correction_reason and created:
        codes = ", ".join(e.criterion_code for e in changed)
        record_event(dossier, EventKind.CORRECTION, f"Correction de {codes}", by=by, reason=correction_reason)
        _reconsider_outcome(dossier, by=by)
    return created


def _reconsider_outcome(dossier: Dossier, *, by: User) -> None:
    """After a correction on a closed evaluation, the dossier follows what the engine now says."""
    dossier = lock_dossier(dossier)
    result = dossier_assessment(dossier)
    if dossier.state == State.TRAINING and result.eligible:
        set_state(dossier, State.READY_FOR_JURY)
        record_event(dossier, EventKind.CORRECTION, "Après correction, tous les domaines sont acquis", by=by)
    elif dossier.state == State.READY_FOR_JURY and not result.eligible:
        set_state(dossier, State.TRAINING)
        record_event(dossier, EventKind.CORRECTION, "Après correction, des domaines manquent", by=by)


@transaction.atomic
def close_evaluation(evaluation: Evaluation, *, by: User) -> Assessment:
    evaluation = locked_evaluation(evaluation)
    dossier = lock_dossier(evaluation.dossier)
    if evaluation.is_closed:
        raise Conflict("Cette évaluation est déjà clôturée.")
    check(dossier.state, Action.CLOSE_INITIAL if evaluation.kind == EvaluationKind.INITIAL else Action.CLOSE_FINAL)
    sittings = list(evaluation.sittings.all())
    if not sittings:
        raise RuleViolation("Enregistrez au moins une séance avant de clôturer l'évaluation.")
    current = current_revisions(evaluation)
    missing = sorted(
        c.code for c in evaluation.scope.all() if c.pk not in current or current[c.pk].judgement not in JUDGED
    )
    if missing:
        raise RuleViolation(
            f"Chaque critère doit être jugé acquis ou non acquis avant la clôture. Restent : {', '.join(missing)}."
        )
    evaluation.closed_at, evaluation.closed_by = timezone.now(), by
    evaluation.save(update_fields=["closed_at", "closed_by"])
    result = dossier_assessment(dossier)
    fields = {}
    if evaluation.kind == EvaluationKind.INITIAL:
        day = max(s.date for s in sittings)
        fields = {
            "initial_assessment_date": day,
            "deadline": path_deadline(day, dossier.referentiel_version.profile.path_validity_years),
        }
    new_state = State.READY_FOR_JURY if result.eligible else State.TRAINING
    set_state(dossier, new_state, **fields)
    if evaluation.kind == EvaluationKind.INITIAL:
        record_fee(
            dossier=dossier,
            kind=FeeKind.INITIAL_ASSESSMENT,
            occurred_at=evaluation.closed_at,
            source=f"initial:{evaluation.public_id}",
        )
    kind = EventKind.INITIAL_CLOSED if evaluation.kind == EvaluationKind.INITIAL else EventKind.FINAL_CLOSED
    outcome = (
        "tous les domaines sont acquis, le dossier peut aller au jury"
        if result.eligible
        else (f"{len(result.missing_criteria)} critère(s) à travailler en formation")
    )
    record_event(
        dossier,
        kind,
        f"{evaluation.get_kind_display()} clôturée : {outcome}",
        by=by,
        reason="\n".join(result.explanation[:3]),
    )
    notify(
        Kind.RESULTS_AVAILABLE,
        template="results_available",
        context={},
        **candidate_recipients(dossier.candidate),
    )
    return result


class SharedReferral(Protocol):
    """What the prescriber's referral rows give (referrals sit above this app, hence no import)."""

    @property
    def pk(self) -> int: ...
    @property
    def share_results(self) -> bool: ...
    @property
    def prescriber_id(self) -> int: ...
    @property
    def dossier_id(self) -> int | None: ...
    @property
    def dossier(self) -> Dossier | None: ...


def shared_referral_results(user: User, rows: Sequence[SharedReferral]) -> dict[int, Assessment]:
    """The engine's result for the referrals whose person agreed to share it, for the prescriber's staff
    only (docs/rules.md rule 8): one query for the judgements of the whole page, four for the référentiels."""
    mine = organisation_ids(user)
    dossiers = {
        r.dossier.pk: r.dossier
        for r in rows
        if r.share_results and r.prescriber_id in mine and r.dossier is not None and r.dossier.initial_assessment_date
    }
    if not dossiers:
        return {}
    records: dict[int, list[RecordedJudgement]] = defaultdict(list)
    for dossier_id, code, judgement, at, pk in CriterionJudgement.objects.filter(
        evaluation__dossier_id__in=list(dossiers), evaluation__closed_at__isnull=False
    ).values_list("evaluation__dossier_id", "criterion__code", "judgement", "recorded_at", "pk"):
        records[dossier_id].append(RecordedJudgement(code, Judgement(judgement), at, pk))
    versions = {d.referentiel_version_id for d in dossiers.values()}
    specs = {v.pk: v.to_spec() for v in ReferentielVersion.objects.with_structure().filter(pk__in=versions)}
    results = {
        pk: assess(specs[d.referentiel_version_id], latest_judgements(records[pk])) for pk, d in dossiers.items()
    }
    return {r.pk: results[r.dossier_id] for r in rows if r.dossier_id in results}
