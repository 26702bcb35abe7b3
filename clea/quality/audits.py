"""Audit campaigns (docs/rules.md rule 22): a seeded random sample of dossiers per organisation, larger
where risk signals are raised, and within it the riskier dossiers more likely drawn.

The draw is reproducible: the same seed, period and data give the same sample (``random.Random`` seeded
per organisation, population in primary-key order). The rate, minimum and maximum follow les-emplois'
"contrôle a posteriori" by default (30 %, at least 2, at most 20 per organisation).
"""

from __future__ import annotations

import datetime
import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from clea.accounts.models import User
from clea.campaigns import rules as documents
from clea.evaluations.models import CriterionJudgement, Evaluation, EvaluationKind
from clea.lib.errors import Conflict, RuleViolation
from clea.lib.roles import Role
from clea.notifications.models import Kind
from clea.notifications.sending import members, notify
from clea.organisations.models import Organisation
from clea.quality import signals
from clea.quality.models import Audit, AuditDocument, AuditedDossier, AuditedOrganisation, Conclusion
from clea.referentiel.models import Certification
from clea.training.models import TrainingPath

DEFAULT_RATE, DEFAULT_MINIMUM, DEFAULT_MAXIMUM = 30, 2, 20
# Each raised signal makes the organisation's sample a quarter larger (within the maximum).
SIGNAL_BOOST = 0.25


# --- pure parts ---------------------------------------------------------------------------------------------


def sample_size(population: int, *, rate_percent: int, score: int, minimum: int, maximum: int) -> int:
    wanted = math.ceil(population * rate_percent / 100 * (1 + SIGNAL_BOOST * score))
    return min(population, max(minimum, min(maximum, wanted)))


def draw(population: Sequence[tuple[int, int]], size: int, rng: random.Random) -> list[int]:
    """``size`` ids of ``(id, weight)`` pairs, without replacement, each with odds growing with its weight
    (Efraimidis and Spirakis: the largest ``u ** (1 / weight)``)."""
    keyed = [(rng.random() ** (1 / weight), pk) for pk, weight in population]
    return sorted(pk for _, pk in sorted(keyed, reverse=True)[:size])


# --- the population ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    dossier_id: int
    weight: int


def populations(certification: Certification, period: signals.Period) -> dict[int, list[tuple[int, int]]]:
    """Per organisation, its dossiers whose préalable closed in the period, with a weight: 1, plus one per
    risky trait (préalable at the limit, straight to the jury, corrected, finale soon after). One query."""
    corrected = CriterionJudgement.objects.filter(evaluation__dossier=OuterRef("dossier")).exclude(correction_reason="")
    quick = Evaluation.objects.filter(
        dossier=OuterRef("dossier"),
        kind=EvaluationKind.FINAL,
        closed_at__lt=OuterRef("closed_at") + datetime.timedelta(days=signals.QUICK_FINAL_DAYS),
    )
    rows = (
        signals.closed_evaluations(EvaluationKind.INITIAL, certification, period)
        .annotate(
            minutes=signals.minutes_spent(),
            trained=Exists(TrainingPath.objects.filter(dossier=OuterRef("dossier"))),
            corrected=Exists(corrected),
            quick=Exists(quick),
            limit=signals.at_limit_minutes(),
        )
        .values_list(
            "dossier__evaluator_organisation",
            "dossier_id",
            "minutes",
            "limit",
            "trained",
            "dossier__state",
            "corrected",
            "quick",
        )
        .order_by("dossier_id")
    )
    found: dict[int, dict[int, int]] = defaultdict(dict)
    for org, dossier, spent, cap, trained, state, was_corrected, was_quick in rows:
        weight = (
            1 + (spent >= cap) + (not trained and state in signals.JURY_STATES) + bool(was_corrected) + bool(was_quick)
        )
        found[org][dossier] = max(weight, found[org].get(dossier, 0))
    return {org: sorted(dossiers.items()) for org, dossiers in found.items()}


# --- opening an audit -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    audit: Audit
    skipped: list[str]  # organisations left out: fewer dossiers than the minimum


@transaction.atomic
def open_audit(
    *,
    certification: Certification,
    title: str,
    period: signals.Period,
    rate_percent: int,
    minimum: int,
    maximum: int,
    seed: int,
    answer_by: datetime.date,
    organisations: Sequence[Organisation] = (),
    min_signals: int = 1,
    by: User,
    today: datetime.date,
) -> Opened:
    """Draw the sample for the chosen organisations, or for every organisation raising ``min_signals``."""
    if not title.strip():
        raise RuleViolation("Indiquez l'intitulé de l'audit.", field="title")
    if period.end < period.start:
        raise RuleViolation("La fin de la période doit suivre son début.", field="period_end")
    if period.end > today:
        raise RuleViolation("La période auditée ne peut pas finir après aujourd'hui.", field="period_end")
    if not 1 <= rate_percent <= 100:
        raise RuleViolation("Le taux d'échantillonnage est compris entre 1 et 100 %.", field="rate_percent")
    if minimum < 1:
        raise RuleViolation("Le minimum par organisme est d'au moins 1 dossier.", field="minimum")
    if maximum < minimum:
        raise RuleViolation("Le maximum par organisme doit être au moins égal au minimum.", field="maximum")
    if answer_by <= today:
        raise RuleViolation("La date de réponse attendue doit être à venir.", field="answer_by")
    risks = {risk.organisation_id: risk for risk in signals.risks(certification, period)}
    pools = populations(certification, period)
    skipped: list[str] = []
    if organisations:
        too_small = [
            f"{o.name} n'a que {len(pools.get(o.pk, []))} dossier(s) évalué(s) sur la période"
            for o in organisations
            if len(pools.get(o.pk, [])) < minimum
        ]
        if too_small:
            raise RuleViolation(
                f"L'échantillon minimum ({minimum}) dépasse les dossiers de : " + " ; ".join(too_small) + ".",
                field="minimum",
            )
        chosen = [o.pk for o in organisations]
    else:
        chosen = []
        for pk, risk in risks.items():
            if risk.score < min_signals or pk not in pools:
                continue
            if len(pools[pk]) < minimum:
                skipped.append(risk.name)
            else:
                chosen.append(pk)
        if not chosen:
            raise RuleViolation(
                f"Aucun organisme n'a {min_signals} signal(aux) levé(s) et au moins {minimum} dossier(s) "
                "évalué(s) sur la période.",
                field="min_signals",
            )
    audit = Audit.objects.create(
        certification=certification,
        title=title.strip(),
        period_start=period.start,
        period_end=period.end,
        rate_percent=rate_percent,
        minimum=minimum,
        maximum=maximum,
        seed=seed,
        answer_by=answer_by,
        created_by=by,
    )
    drawn: list[AuditedDossier] = []
    for pk in sorted(chosen):
        found = risks.get(pk)
        score = found.score if found else 0
        pool = pools[pk]
        audited = AuditedOrganisation.objects.create(
            audit=audit,
            organisation_id=pk,
            population=len(pool),
            risk_score=score,
            signals=[{"label": s.label, "explanation": s.explanation} for s in (found.raised if found else [])],
        )
        size = sample_size(len(pool), rate_percent=rate_percent, score=score, minimum=minimum, maximum=maximum)
        weights = dict(pool)
        for dossier_id in draw(pool, size, random.Random(f"{seed}:{pk}")):
            drawn.append(AuditedDossier(audited=audited, dossier_id=dossier_id, weight=weights[dossier_id]))
    AuditedDossier.objects.bulk_create(drawn)
    for audited in audit.organisations.select_related("organisation"):
        _tell_organisation(audited, "Audit qualité : dossiers à justifier", key="drawn")
    return Opened(audit, sorted(skipped))


def _tell_organisation(audited: AuditedOrganisation, headline: str, *, key: str, text: str = "") -> None:
    notify(
        Kind.QUALITY_AUDIT,
        template="quality_audit",
        context={
            "headline": headline,
            "text": text,
            "organisation": audited.organisation.name,
            "audit": audited.audit.title,
            "answer_by": audited.audit.answer_by,
            "link": settings.SITE_URL.rstrip("/") + reverse("quality:audited", args=[audited.public_id]),
        },
        users=members(audited.organisation, [Role.ADMIN]),
        organisation=audited.organisation,
        key=f"audit-{audited.public_id}-{key}",
    )


# --- the organisation answers -----------------------------------------------------------------------------


def _open_for_answers(audited: AuditedOrganisation) -> AuditedOrganisation:
    locked = AuditedOrganisation.objects.select_for_update().get(pk=audited.pk)
    if locked.conclusion:
        raise Conflict("L'audit de cet organisme est conclu : il ne reçoit plus de réponse.")
    return locked


@transaction.atomic
def answer_dossier(audited_dossier: AuditedDossier, *, comment: str, upload, by: User) -> AuditedDossier:
    _open_for_answers(audited_dossier.audited)
    if not comment.strip() and upload is None:
        raise RuleViolation("Joignez une pièce ou écrivez un commentaire.", field="comment")
    if upload is not None:
        message = documents.upload_error(upload)
        if message:
            raise RuleViolation(message, field="file")
        document = AuditDocument(
            audited_dossier=audited_dossier,
            filename=(upload.name or "piece.pdf")[-255:],
            size=upload.size,
            uploaded_by=by,
        )
        document.file.save("piece.pdf", upload, save=False)
        document.save()
    if comment.strip():
        audited_dossier.comment = comment.strip()
        audited_dossier.commented_at, audited_dossier.commented_by = timezone.now(), by
        audited_dossier.save(update_fields=["comment", "commented_at", "commented_by"])
    return audited_dossier


@transaction.atomic
def send_answer(audited: AuditedOrganisation, *, by: User) -> AuditedOrganisation:
    audited = _open_for_answers(audited)
    unanswered = audited.dossiers.filter(comment="").exclude(
        Exists(AuditDocument.objects.filter(audited_dossier=OuterRef("pk")))
    )
    if unanswered.exists():
        raise RuleViolation(
            f"{unanswered.count()} dossier(s) sans pièce ni commentaire : répondez pour chaque dossier tiré."
        )
    audited.answered_at, audited.answered_by = timezone.now(), by
    audited.save(update_fields=["answered_at", "answered_by"])
    return audited


# --- the certifier concludes ------------------------------------------------------------------------------


@transaction.atomic
def conclude(audited: AuditedOrganisation, *, conclusion: str, reason: str, by: User) -> AuditedOrganisation:
    audited = AuditedOrganisation.objects.select_for_update().select_related("organisation", "audit").get(pk=audited.pk)
    if audited.conclusion:
        raise Conflict(
            f"Cet audit est déjà conclu ({audited.get_conclusion_display()}, le {audited.concluded_at:%d/%m/%Y})."
        )
    if conclusion not in Conclusion.values:
        raise RuleViolation("Choisissez une conclusion.", field="conclusion")
    if conclusion != Conclusion.CONFORM and not reason.strip():
        raise RuleViolation("Motivez une conclusion avec remarques ou non conforme.", field="reason")
    audited.conclusion, audited.conclusion_reason = conclusion, reason.strip()
    audited.concluded_at, audited.concluded_by = timezone.now(), by
    audited.save(update_fields=["conclusion", "conclusion_reason", "concluded_at", "concluded_by"])
    _tell_organisation(
        audited,
        f"Audit qualité conclu : {audited.get_conclusion_display().lower()}",
        key="concluded",
        text=audited.conclusion_reason,
    )
    return audited
