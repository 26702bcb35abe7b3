"""Business verbs of the jury: plan a session, seat members, deliberate, close and sign the minutes."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Collection, Iterable

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from clea.accounts.models import User
from clea.dossiers.models import Dossier, EventKind
from clea.dossiers.services import habilitation_covering, lock_dossier, record_event, set_state
from clea.dossiers.workflow import Action, State, check
from clea.evaluations.models import EvaluationKind
from clea.evaluations.services import dossier_assessment, evaluator_ids, trainer_ids
from clea.geography.models import Region
from clea.jury.models import College, Decision, JuryMember, JurySession, Outcome, SessionDossier, SessionStatus
from clea.jury.rules import DossierFacts, Seat, conflicted, precheck, quorum_problem, sitting_problem, vote_problem
from clea.lib.errors import Conflict, RuleViolation
from clea.notifications.models import Kind
from clea.notifications.sending import candidate_recipients, members, notify
from clea.organisations.models import Organisation, OrganisationKind, Role
from clea.referentiel.models import Certification

OUTCOME_STATE = {
    Outcome.AWARDED: State.CERTIFIED,
    Outcome.NOT_AWARDED: State.NOT_CERTIFIED,
    Outcome.ADJOURNED: State.ADJOURNED,
}


def parties_of(dossier: Dossier) -> set[int]:
    """Organisations with a stake in the dossier: their members on the jury do not vote on it."""
    return {pk for pk in (dossier.evaluator_organisation_id, dossier.employer_id) if pk is not None}


def member_organisations(session: JurySession) -> QuerySet[Organisation]:
    """What a jury member may represent. Only a dossier's parties matter (parties_of): the region's
    evaluators and employers, and the parties of the session's dossiers wherever they are; the whole
    country would be a select of thousands."""
    on_session = Dossier.objects.filter(pk__in=session.entries.values("dossier"))
    parties = Q(
        kind__in=[OrganisationKind.EVALUATOR, OrganisationKind.EMPLOYER],
        commune__departement__region=session.region_id,
    )
    parties |= Q(pk__in=on_session.values("evaluator_organisation")) | Q(pk__in=on_session.values("employer"))
    return Organisation.objects.filter(parties, is_active=True).order_by("name")


def require_open(session: JurySession) -> None:
    if session.is_closed:
        raise Conflict("La session est close : son procès-verbal est signé, plus rien n'y change.")


def require_sitting(session: JurySession, today: datetime.date | None) -> None:
    problem = sitting_problem(session.date, today or timezone.localdate())
    if problem:
        raise Conflict(problem)


@transaction.atomic
def create_session(
    *,
    organiser: Organisation,
    date: datetime.date,
    start: datetime.time | None,
    place: str,
    remote: bool,
    region: Region,
    certifications: Collection[Certification],
    by: User,
) -> JurySession:
    if organiser.kind != OrganisationKind.JURY_ORGANISER:
        raise RuleViolation("Seul un organisateur de jury planifie des sessions.")
    if not remote and not place.strip():
        raise RuleViolation("Indiquez le lieu, ou cochez « à distance ».", field="place")
    if not certifications:
        raise RuleViolation("Choisissez au moins une certification.", field="certifications")
    session = JurySession.objects.create(
        organiser=organiser, date=date, start=start, place=place, remote=remote, region=region, created_by=by
    )
    session.certifications.set(certifications)
    return session


@transaction.atomic
def add_member(
    session: JurySession,
    *,
    full_name: str,
    college: str,
    organisation: Organisation | None = None,
    user: User | None = None,
) -> JuryMember:
    require_open(session)
    if college not in College.values:
        raise RuleViolation("Collège inconnu : employeurs ou salariés.", field="college")
    if not full_name.strip():
        raise RuleViolation("Indiquez le nom du membre.", field="full_name")
    return JuryMember.objects.create(
        session=session, full_name=full_name, college=college, organisation=organisation, user=user
    )


@transaction.atomic
def record_attendance(session: JurySession, *, present_ids: set[int], by: User) -> None:
    require_open(session)
    if Decision.objects.filter(entry__session=session).exists():
        raise Conflict("Des décisions sont déjà enregistrées : les présences ne changent plus (procès-verbal).")
    now = timezone.now()
    for member in session.members.all():
        member.present = member.pk in present_ids
        member.attendance_recorded_at, member.attendance_recorded_by = now, by
        member.save(update_fields=["present", "attendance_recorded_at", "attendance_recorded_by"])


def seats(session: JurySession) -> list[Seat]:
    return [Seat(m.pk, m.college, m.present, m.organisation_id) for m in session.members.all()]


def session_quorum_problem(session: JurySession) -> str | None:
    profiles = {
        e.dossier.referentiel_version.profile.jury_min_members_per_college
        for e in session.entries.select_related("dossier__referentiel_version__profile")
    }
    return quorum_problem(seats(session), max(profiles, default=1))


def dossier_facts(dossier: Dossier) -> DossierFacts:
    assessment = dossier_assessment(dossier)
    evaluations = list(dossier.evaluations.prefetch_related("sittings"))
    closed = [e for e in evaluations if e.closed_at]
    paths = list(dossier.training_paths.all())
    last_path = max((p.proposed_at for p in paths), default=None)
    finals_after = [e for e in closed if e.kind == EvaluationKind.FINAL and last_path and e.started_at >= last_path]
    dates = sorted({s.date for e in evaluations for s in e.sittings.all()})
    organisation, certification = dossier.evaluator_organisation, dossier.certification
    return DossierFacts(
        eligible=assessment.eligible,
        engine_explanation=" ".join(assessment.explanation[1:3]),
        closed_initial=any(e.kind == EvaluationKind.INITIAL for e in closed),
        open_evaluations=len(evaluations) - len(closed),
        had_training_without_final=bool(paths) and not finals_after,
        last_evaluation_date=dates[-1] if dates else None,
        deadline=dossier.deadline,
        unhabilitated_dates=tuple(d for d in dates if habilitation_covering(organisation, certification, d) is None),
        trainer_also_evaluator=bool(trainer_ids(dossier) & evaluator_ids(dossier)),
    )


def awaiting_in_region(session: JurySession) -> QuerySet[Dossier]:
    """Dossiers waiting for a jury in the session's region, for its certifications."""
    return (
        Dossier.objects.filter(
            state__in=[State.AWAITING_JURY, State.ADJOURNED],
            evaluator_organisation__commune__departement__region=session.region,
            certification__in=session.certifications.all(),
        )
        .exclude(jury_entries__session=session)
        .select_related("candidate", "certification", "evaluator_organisation")
        .order_by("updated_at", "pk")
    )


@transaction.atomic
def put_on_session(session: JurySession, dossiers: Iterable[Dossier], *, by: User) -> list[SessionDossier]:
    require_open(session)
    entries = []
    allowed = set(awaiting_in_region(session).values_list("pk", flat=True))
    for dossier in dossiers:
        dossier = lock_dossier(dossier)
        check(dossier.state, Action.PUT_ON_SESSION)
        if SessionDossier.objects.filter(session=session, dossier=dossier).exists():
            raise Conflict(
                f"Le dossier de {dossier.candidate} a déjà été examiné par cette session : inscrivez-le à une "
                "prochaine session."
            )
        if dossier.pk not in allowed:
            raise RuleViolation(
                f"Le dossier de {dossier.candidate} ne relève pas de cette session (région ou certification)."
            )
        entry = SessionDossier.objects.create(
            session=session,
            dossier=dossier,
            added_by=by,
            precheck_problems=precheck(dossier_facts(dossier)),
            precheck_at=timezone.now(),
        )
        set_state(dossier, State.AT_JURY)
        record_event(dossier, EventKind.ON_SESSION, f"Inscrit à la {session}", by=by, organisation=session.organiser)
        entries.append(entry)
    return entries


@transaction.atomic
def decide(
    entry: SessionDossier,
    *,
    outcome: str,
    reasons: str,
    votes_for: int,
    votes_against: int = 0,
    votes_abstain: int = 0,
    by: User,
    today: datetime.date | None = None,
) -> Decision:
    """One decision per dossier. A dossier the engine says is not eligible cannot be awarded."""
    session = JurySession.objects.select_for_update().get(pk=entry.session_id)
    require_open(session)
    require_sitting(session, today)
    if Decision.objects.filter(entry=entry).exists():
        raise Conflict("Ce dossier a déjà reçu sa décision : elle ne se modifie pas.")
    dossier = lock_dossier(entry.dossier)
    check(dossier.state, Action.DECIDE)
    problem = quorum_problem(seats(session), dossier.referentiel_version.profile.jury_min_members_per_college)
    if problem:
        raise Conflict(problem)
    if outcome not in Outcome.values:
        raise RuleViolation("Décision inconnue.", field="outcome")
    if outcome == Outcome.AWARDED:
        assessment = dossier_assessment(dossier)
        if not assessment.eligible:
            raise Conflict(
                "Le moteur de décision ne déclare pas ce dossier éligible : " + " ".join(assessment.explanation[1:3])
            )
    elif not reasons.strip():
        raise RuleViolation("Motivez la décision.", field="reasons")
    all_seats = seats(session)
    excluded = conflicted(all_seats, parties_of(dossier))
    voters = sum(1 for s in all_seats if s.present and s.id not in excluded)
    problem = vote_problem(voters=voters, votes_for=votes_for, votes_against=votes_against, votes_abstain=votes_abstain)
    if problem:
        raise RuleViolation(problem, field="votes_for")
    decision = Decision.objects.create(
        entry=entry,
        outcome=outcome,
        reasons=reasons,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
        decided_by=by,
    )
    decision.excluded_members.set(excluded)
    set_state(dossier, OUTCOME_STATE[Outcome(outcome)])
    record_event(
        dossier,
        EventKind.DECIDED,
        f"Jury du {session.date:%d/%m/%Y} : {decision.get_outcome_display()}",
        by=by,
        reason=reasons,
        organisation=session.organiser,
    )
    recipients = candidate_recipients(dossier.candidate)
    notify(
        Kind.JURY_DECISION,
        template="jury_decision",
        context={
            "certification": dossier.certification.name,
            "session_date": session.date,
            "outcome": decision.get_outcome_display().lower(),
        },
        users=[*members(dossier.evaluator_organisation, [Role.ADMIN, Role.EVALUATOR]), *recipients.get("users", [])],
        emails=recipients.get("emails", []),
    )
    return decision


@transaction.atomic
def award_clean_together(
    session: JurySession, entries: Iterable[SessionDossier], *, by: User, today: datetime.date | None = None
) -> list[Decision]:
    """Clean dossiers decided in one action, still one recorded decision per dossier (unanimity)."""
    require_open(session)
    require_sitting(session, today)
    decisions = []
    for entry in entries:
        if entry.precheck_problems:
            raise RuleViolation(f"Le dossier de {entry.dossier.candidate} a des anomalies : décidez-le seul.")
        all_seats = seats(session)
        excluded = conflicted(all_seats, parties_of(entry.dossier))
        voters = sum(1 for s in all_seats if s.present and s.id not in excluded)
        decisions.append(
            decide(
                entry,
                outcome=Outcome.AWARDED,
                reasons="Décision commune des dossiers sans anomalie",
                votes_for=voters,
                by=by,
                today=today,
            )
        )
    return decisions


def minutes_pdf(session: JurySession) -> bytes:
    from django.template.loader import render_to_string
    from weasyprint import HTML

    entries = session.entries.select_related("dossier__candidate", "dossier__certification", "decision").order_by("pk")
    html = render_to_string(
        "jury/minutes_pdf.html",
        {
            "session": session,
            "members": session.members.select_related("organisation"),
            "entries": entries,
            "quorum_problem": session_quorum_problem(session),
        },
    )
    pdf: bytes = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")  # weasyprint is untyped
    return pdf


@transaction.atomic
def close_session(session: JurySession, *, by: User, today: datetime.date | None = None) -> bytes:
    """Sign the minutes: every dossier decided; the session and its decisions become immutable."""
    session = JurySession.objects.select_for_update().get(pk=session.pk)
    require_open(session)
    require_sitting(session, today)
    undecided = session.entries.filter(decision__isnull=True).count()
    if undecided:
        raise Conflict(f"{undecided} dossier(s) sans décision : décidez-les avant de clore la session.")
    if not session.entries.exists():
        raise Conflict("Aucun dossier n'a été examiné : rien à clore.")
    session.status, session.closed_at, session.closed_by = SessionStatus.CLOSED, timezone.now(), by
    pdf = minutes_pdf(session)
    session.minutes, session.minutes_sha256 = pdf, hashlib.sha256(pdf).hexdigest()
    session.save(update_fields=["status", "closed_at", "closed_by", "minutes", "minutes_sha256"])
    return pdf
