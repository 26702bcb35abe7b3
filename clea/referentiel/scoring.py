"""The decision engine: from a référentiel version and judgements per criterion, say what is acquired.

Pure Python (docs/rules.md rules 5–7): no ORM, no settings, no clock. Arithmetic is exact: a ratio is a
Fraction and a threshold is met when ``points * 100 >= threshold * total``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from fractions import Fraction

from clea.lib.plurals import ngettext
from clea.referentiel.structure import CriterionSpec, DomainSpec, ReferentielSpec, SubdomainSpec


class Judgement(StrEnum):
    ACQUIRED = "acquired"
    NOT_ACQUIRED = "not_acquired"
    NOT_ASSESSED = "not_assessed"


JUDGEMENT_LABELS: dict[Judgement, str] = {
    Judgement.ACQUIRED: "acquis",
    Judgement.NOT_ACQUIRED: "non acquis",
    Judgement.NOT_ASSESSED: "non évalué",
}


class UnknownCriterionError(ValueError):
    def __init__(self, codes: Iterable[str]) -> None:
        self.codes = tuple(sorted(codes))
        label = ngettext("Critère inconnu", "Critères inconnus", len(self.codes))
        super().__init__(f"{label} dans ce référentiel : " + ", ".join(self.codes) + ".")


@dataclass(frozen=True)
class RecordedJudgement:
    """One judgement as recorded by an evaluation; ``sequence`` orders records made at one instant."""

    criterion_code: str
    judgement: Judgement
    recorded_at: datetime
    sequence: int = 0


def latest_judgements(records: Iterable[RecordedJudgement]) -> dict[str, Judgement]:
    """Merge several evaluations: for each criterion the latest judgement counts."""
    latest: dict[str, RecordedJudgement] = {}
    for record in records:
        current = latest.get(record.criterion_code)
        if current is None or (record.recorded_at, record.sequence) >= (
            current.recorded_at,
            current.sequence,
        ):
            latest[record.criterion_code] = record
    return {code: record.judgement for code, record in latest.items()}


@dataclass(frozen=True)
class SubdomainResult:
    spec: SubdomainSpec
    points: int
    total: int
    acquired: bool
    missing_criteria: tuple[CriterionSpec, ...]
    missing_mandatory: tuple[CriterionSpec, ...]
    not_assessed: tuple[CriterionSpec, ...]
    explanation: str

    @property
    def ratio(self) -> Fraction:
        return Fraction(self.points, self.total)


@dataclass(frozen=True)
class DomainResult:
    spec: DomainSpec
    subdomains: tuple[SubdomainResult, ...]
    points: int
    total: int
    acquired: bool
    explanation: str

    @property
    def ratio(self) -> Fraction:
        return Fraction(self.points, self.total)

    @property
    def missing_subdomains(self) -> tuple[SubdomainResult, ...]:
        return tuple(s for s in self.subdomains if not s.acquired)


@dataclass(frozen=True)
class Assessment:
    referentiel: ReferentielSpec
    domains: tuple[DomainResult, ...]
    points: int
    total: int
    points_met: bool
    eligible: bool
    complete: bool
    explanation: tuple[str, ...]

    @property
    def ratio(self) -> Fraction:
        return Fraction(self.points, self.total) if self.total else Fraction(0)

    @property
    def missing_domains(self) -> tuple[DomainResult, ...]:
        return tuple(d for d in self.domains if not d.acquired)

    @property
    def missing_criteria(self) -> tuple[CriterionSpec, ...]:
        return tuple(c for d in self.domains for s in d.subdomains for c in s.missing_criteria)

    def subdomain(self, code: str) -> SubdomainResult:
        for domain in self.domains:
            for result in domain.subdomains:
                if result.spec.code == code:
                    return result
        raise KeyError(code)

    def domain(self, code: str) -> DomainResult:
        for result in self.domains:
            if result.spec.code == code:
                return result
        raise KeyError(code)


def meets(points: int, total: int, threshold_percent: Fraction) -> bool:
    """Exact comparison: points / total >= threshold / 100."""
    return points * 100 >= threshold_percent * total


def format_percent(percent: Fraction) -> str:
    """French display of a percentage, rounded down to one decimal: 74.99 never reads as 75 %."""
    tenths = (percent * 10).__floor__()
    whole, decimal = divmod(tenths, 10)
    return f"{whole} %" if decimal == 0 else f"{whole},{decimal} %"


def format_threshold(percent: Fraction) -> str:
    """A threshold is shown rounded UP to two decimals, so a ratio below it never reads as equal."""
    hundredths = -((-percent * 100).__floor__())
    whole, decimals = divmod(hundredths, 100)
    if decimals == 0:
        return f"{whole} %"
    return f"{whole},{decimals:02d}".rstrip("0") + " %"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


def _assess_subdomain(spec: SubdomainSpec, judgements: Mapping[str, Judgement]) -> SubdomainResult:
    total = sum(c.weight for c in spec.criteria)
    acquired_criteria = [c for c in spec.criteria if judgements.get(c.code) == Judgement.ACQUIRED]
    points = sum(c.weight for c in acquired_criteria)
    missing = tuple(c for c in spec.criteria if c not in acquired_criteria)
    missing_mandatory = tuple(c for c in missing if c.mandatory)
    not_assessed = tuple(
        c for c in spec.criteria if judgements.get(c.code, Judgement.NOT_ASSESSED) == Judgement.NOT_ASSESSED
    )
    ratio = Fraction(points, total)
    acquired = meets(points, total, spec.threshold_percent) and not missing_mandatory
    text = (
        f"Sous-domaine {spec.code} « {spec.title} » : "
        f"{points} point{'s' if points > 1 else ''} sur {total} ({format_percent(ratio * 100)}), "
        f"seuil {format_threshold(spec.threshold_percent)}"
    )
    if acquired:
        text += " : acquis."
    else:
        reasons = []
        if not meets(points, total, spec.threshold_percent):
            reasons.append("le seuil n'est pas atteint")
        if missing_mandatory:
            codes = ", ".join(c.code for c in missing_mandatory)
            reasons.append(f"critère obligatoire non acquis ({codes})")
        text += " : non acquis, car " + " et ".join(reasons) + "."
    return SubdomainResult(
        spec=spec,
        points=points,
        total=total,
        acquired=acquired,
        missing_criteria=missing,
        missing_mandatory=missing_mandatory,
        not_assessed=not_assessed,
        explanation=text,
    )


def _assess_domain(spec: DomainSpec, judgements: Mapping[str, Judgement]) -> DomainResult:
    results = tuple(_assess_subdomain(s, judgements) for s in spec.subdomains)
    acquired = all(r.acquired for r in results)
    missing = [r.spec.code for r in results if not r.acquired]
    if acquired:
        text = f"Domaine {spec.code} « {spec.title} » : maîtrisé."
    else:
        text = (
            f"Domaine {spec.code} « {spec.title} » : non maîtrisé, "
            f"{_plural(len(missing), 'sous-domaine')} à acquérir ({', '.join(missing)})."
        )
    return DomainResult(
        spec=spec,
        subdomains=results,
        points=sum(r.points for r in results),
        total=sum(r.total for r in results),
        acquired=acquired,
        explanation=text,
    )


def assess(referentiel: ReferentielSpec, judgements: Mapping[str, Judgement]) -> Assessment:
    """Score judgements against a référentiel version and its rule profile.

    A criterion without judgement counts as not assessed (no point). Codes that are not criteria of
    this version raise UnknownCriterionError rather than being ignored.
    """
    known = {c.code for c in referentiel.criteria()}
    unknown = set(judgements) - known
    if unknown:
        raise UnknownCriterionError(unknown)
    domains = tuple(_assess_domain(d, judgements) for d in referentiel.domains)
    points = sum(d.points for d in domains)
    total = sum(d.total for d in domains)
    threshold = referentiel.profile.overall_threshold_percent
    points_met = total > 0 and meets(points, total, threshold)
    all_domains = all(d.acquired for d in domains)
    eligible = bool(domains) and all_domains and points_met
    complete = all(judgements.get(code, Judgement.NOT_ASSESSED) != Judgement.NOT_ASSESSED for code in known)
    ratio = Fraction(points, total) if total else Fraction(0)
    version = f"version {referentiel.version_number}" if referentiel.version_number else "version importée"
    lines = [
        f"Règles appliquées : référentiel {referentiel.certification_name} {version} "
        f"({referentiel.label}) ; un sous-domaine est acquis à partir de son seuil, un domaine "
        f"quand tous ses sous-domaines le sont ; il faut tous les domaines et au moins "
        f"{format_threshold(threshold)} des points.",
        f"Points obtenus : {points} sur {total} ({format_percent(ratio * 100)}).",
    ]
    if eligible:
        lines.append(
            f"Résultat : les {_plural(len(domains), 'domaine')} sont maîtrisés et le seuil de "
            f"{format_threshold(threshold)} des points est atteint : le dossier peut aller au jury."
        )
    else:
        missing = [d.spec.code for d in domains if not d.acquired]
        if missing:
            lines.append(
                f"Résultat : {_plural(len(missing), 'domaine')} non maîtrisé"
                f"{'s' if len(missing) > 1 else ''} ({', '.join(missing)})."
            )
        if not points_met:
            lines.append(f"Résultat : le seuil de {format_threshold(threshold)} des points n'est pas atteint.")
    lines.extend(d.explanation for d in domains)
    lines.extend(s.explanation for d in domains for s in d.subdomains if not s.acquired)
    return Assessment(
        referentiel=referentiel,
        domains=domains,
        points=points,
        total=total,
        points_met=points_met,
        eligible=eligible,
        complete=complete,
        explanation=tuple(lines),
    )
