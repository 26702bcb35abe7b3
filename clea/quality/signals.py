"""Risk signals of evaluator organisations (docs/rules.md rule 22), from their own data against the
national distribution.

Each signal is a share computed per organisation over a period, by one GROUP BY query across all
organisations (seven queries for the whole country, whatever its size). An organisation raises a signal
when its share is at or above the national 90th percentile and at least ``MARGIN`` above the median,
on at least ``MIN_VOLUME`` cases: a small organisation is not flagged by chance, and a flat national
distribution flags no one. The explanation says the organisation's figure, the median, the percentile
and the volume, in French, so the certifier can judge it.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from clea.dossiers.models import Dossier
from clea.dossiers.workflow import OPEN_STATES, State
from clea.evaluations.models import CriterionJudgement, Evaluation, EvaluationKind, Sitting
from clea.jury.models import Decision, Outcome
from clea.organisations.models import Organisation
from clea.referentiel.models import Certification
from clea.training.models import TrainingPath

MIN_VOLUME = 10
MARGIN = 0.10
AT_LIMIT_MINUTES = 15  # a préalable within a quarter of an hour of the maximum counts as "at the limit"
QUICK_FINAL_DAYS = 14
JURY_STATES = (State.AWAITING_JURY, State.AT_JURY, State.CERTIFIED, State.NOT_CERTIFIED, State.ADJOURNED)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def bounds(self) -> tuple[datetime.date, datetime.date]:
        return self.start, self.end + datetime.timedelta(days=1)


@dataclass(frozen=True)
class Measure:
    """One organisation's share on one signal."""

    hits: int
    total: int

    @property
    def share(self) -> float:
        return self.hits / self.total if self.total else 0.0


@dataclass(frozen=True)
class Signal:
    code: str
    label: str
    measure: Measure
    median: float
    p90: float
    raised: bool
    explanation: str


@dataclass
class OrganisationRisk:
    organisation_id: int
    name: str = ""
    public_id: str = ""
    signals: list[Signal] = field(default_factory=list)

    @property
    def raised(self) -> list[Signal]:
        return [s for s in self.signals if s.raised]

    @property
    def score(self) -> int:
        return len(self.raised)


def _pct(value: float) -> str:
    return f"{round(value * 100)} %"


# --- the signals: each returns {organisation id: Measure} ------------------------------------------------


def closed_evaluations(kind: str, certification: Certification, period: Period) -> QuerySet[Evaluation]:
    start, end = period.bounds
    return Evaluation.objects.filter(
        kind=kind, closed_at__date__gte=start, closed_at__date__lt=end, dossier__certification=certification
    )


def _grouped(rows: QuerySet, total: str = "total", hits: str = "hits") -> dict[int, Measure]:
    return {row["org"]: Measure(row[hits], row[total]) for row in rows}


def minutes_spent() -> Coalesce:
    """An evaluation's minutes over its sittings, as an annotation (0 without sittings)."""
    per_evaluation = (
        Sitting.objects.filter(evaluation=OuterRef("pk"))
        .order_by()
        .values("evaluation")
        .annotate(total=Sum("duration_minutes"))
        .values("total")
    )
    return Coalesce(Subquery(per_evaluation, output_field=IntegerField()), 0)


def at_limit_minutes() -> Any:
    return F("referentiel_version__profile__max_initial_assessment_minutes") - AT_LIMIT_MINUTES


def at_limit(certification: Certification, period: Period) -> dict[int, Measure]:
    limit = at_limit_minutes()
    rows = (
        closed_evaluations(EvaluationKind.INITIAL, certification, period)
        .annotate(minutes=minutes_spent())
        .values(org=F("dossier__evaluator_organisation"))
        .annotate(total=Count("pk"), hits=Count("pk", filter=Q(minutes__gte=limit)))
        .order_by()
    )
    return _grouped(rows)


def straight_to_jury(certification: Certification, period: Period) -> dict[int, Measure]:
    trained = TrainingPath.objects.filter(dossier=OuterRef("dossier"))
    rows = (
        closed_evaluations(EvaluationKind.INITIAL, certification, period)
        .annotate(trained=Exists(trained))
        .values(org=F("dossier__evaluator_organisation"))
        .annotate(total=Count("pk"), hits=Count("pk", filter=Q(trained=False, dossier__state__in=JURY_STATES)))
        .order_by()
    )
    return _grouped(rows)


def success_rate(certification: Certification, period: Period) -> dict[int, Measure]:
    start, end = period.bounds
    rows = (
        Decision.objects.filter(
            decided_at__date__gte=start,
            decided_at__date__lt=end,
            entry__dossier__certification=certification,
            outcome__in=(Outcome.AWARDED, Outcome.NOT_AWARDED),
        )
        .values(org=F("entry__dossier__evaluator_organisation"))
        .annotate(total=Count("pk"), hits=Count("pk", filter=Q(outcome=Outcome.AWARDED)))
        .order_by()
    )
    return _grouped(rows)


def corrections(certification: Certification, period: Period) -> dict[int, Measure]:
    corrected = CriterionJudgement.objects.filter(evaluation=OuterRef("pk")).exclude(correction_reason="")
    start, end = period.bounds
    rows = (
        Evaluation.objects.filter(
            closed_at__date__gte=start, closed_at__date__lt=end, dossier__certification=certification
        )
        .annotate(corrected=Exists(corrected))
        .values(org=F("dossier__evaluator_organisation"))
        .annotate(total=Count("pk"), hits=Count("pk", filter=Q(corrected=True)))
        .order_by()
    )
    return _grouped(rows)


def one_evaluator(certification: Certification, period: Period) -> dict[int, Measure]:
    """The share of the organisation's closed evaluations done by its most frequent evaluator."""
    start, end = period.bounds
    rows = (
        Evaluation.objects.filter(
            closed_at__date__gte=start, closed_at__date__lt=end, dossier__certification=certification
        )
        .values("evaluator", org=F("dossier__evaluator_organisation"))
        .annotate(count=Count("pk"))
        .order_by()
    )
    per_org: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        per_org[row["org"]].append(row["count"])
    return {org: Measure(max(counts), sum(counts)) for org, counts in per_org.items()}


def quick_final(certification: Certification, period: Period) -> dict[int, Measure]:
    initial = Evaluation.objects.filter(dossier=OuterRef("dossier"), kind=EvaluationKind.INITIAL).exclude(
        closed_at=None
    )
    rows = (
        closed_evaluations(EvaluationKind.FINAL, certification, period)
        .annotate(initial_closed=Subquery(initial.order_by("closed_at").values("closed_at")[:1]))
        .values(org=F("dossier__evaluator_organisation"))
        .annotate(
            total=Count("pk"),
            hits=Count("pk", filter=Q(closed_at__lt=F("initial_closed") + datetime.timedelta(days=QUICK_FINAL_DAYS))),
        )
        .order_by()
    )
    return _grouped(rows)


def deadlines_missed(certification: Certification, period: Period) -> dict[int, Measure]:
    """Among dossiers whose 5-year limit fell in the period: expired, or still open past it."""
    start, end = period.bounds
    rows = (
        Dossier.objects.filter(certification=certification, deadline__gte=start, deadline__lt=end)
        .values(org=F("evaluator_organisation"))
        .annotate(
            total=Count("pk"),
            hits=Count("pk", filter=Q(state=State.EXPIRED) | Q(state__in=OPEN_STATES)),
        )
        .order_by()
    )
    return _grouped(rows)


@dataclass(frozen=True)
class Definition:
    code: str
    label: str
    compute: Callable[[Certification, Period], dict[int, Measure]]
    # "{share} of {what}": the organisation's figure in words.
    what: str


DEFINITIONS = (
    Definition(
        "at_limit",
        "Préalables à la limite de durée",
        at_limit,
        "des évaluations préalables durent au moins la durée maximale moins un quart d'heure",
    ),
    Definition(
        "straight_to_jury",
        "Envois directs au jury",
        straight_to_jury,
        "des candidats évalués vont au jury sans parcours de formation",
    ),
    Definition("success_rate", "Taux de réussite", success_rate, "des décisions du jury délivrent la certification"),
    Definition(
        "corrections",
        "Corrections après clôture",
        corrections,
        "des évaluations clôturées ont été corrigées ensuite",
    ),
    Definition(
        "one_evaluator",
        "Un seul évaluateur",
        one_evaluator,
        "des évaluations sont faites par le même évaluateur",
    ),
    Definition(
        "quick_final",
        "Finale peu après le préalable",
        quick_final,
        f"des évaluations finales ont lieu moins de {QUICK_FINAL_DAYS} jours après le préalable",
    ),
    Definition(
        "deadlines_missed",
        "Délais de 5 ans dépassés",
        deadlines_missed,
        "des dossiers arrivés à leur limite de 5 ans l'ont dépassée sans aboutir",
    ),
)


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by linear interpolation, as statistics.quantiles' "inclusive" method."""
    if not values:
        return 0.0
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def judge(measure: Measure, national: list[float]) -> tuple[float, float, bool]:
    """(median, p90, raised) of one organisation's measure against the national shares."""
    median = statistics.median(national) if national else 0.0
    p90 = percentile(national, 0.9)
    raised = measure.total >= MIN_VOLUME and measure.share >= p90 and measure.share >= median + MARGIN
    return median, p90, raised


def explain(definition: Definition, measure: Measure, median: float, p90: float) -> str:
    return (
        f"{_pct(measure.share)} {definition.what} ({measure.hits} sur {measure.total}) ; "
        f"médiane nationale {_pct(median)}, 9 organismes sur 10 à {_pct(p90)} ou moins."
    )


def risks(
    certification: Certification, period: Period, organisations: Iterable[int] | None = None
) -> list[OrganisationRisk]:
    """Every evaluator organisation with activity in the period, its signals, highest score first."""
    by_org: dict[int, OrganisationRisk] = {}
    for definition in DEFINITIONS:
        measures = definition.compute(certification, period)
        national = [m.share for m in measures.values() if m.total >= MIN_VOLUME]
        for org, measure in measures.items():
            median, p90, raised = judge(measure, national)
            by_org.setdefault(org, OrganisationRisk(org)).signals.append(
                Signal(
                    definition.code,
                    definition.label,
                    measure,
                    median,
                    p90,
                    raised,
                    explain(definition, measure, median, p90),
                )
            )
    wanted = set(organisations) if organisations is not None else None
    names = Organisation.objects.filter(pk__in=[o for o in by_org if wanted is None or o in wanted])
    for pk, name, public_id in names.values_list("pk", "name", "public_id"):
        by_org[pk].name, by_org[pk].public_id = name, str(public_id)
    found = [risk for risk in by_org.values() if risk.name]
    return sorted(found, key=lambda r: (-r.score, r.name, r.organisation_id))
