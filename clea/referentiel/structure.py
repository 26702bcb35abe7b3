"""The shape of a référentiel version as plain immutable data (no ORM, no Django).

The same structure feeds the scoring engine, the imports and exports, and the comparison of two
versions, so each of them works on data that can be built in a test without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

# Defaults of docs/rules.md rules 6, 11–14 and 19; each one is data of a version's rule profile.
DEFAULT_THRESHOLD_PERCENT = Fraction(75)


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    title: str
    indicator: str = ""
    weight: int = 1
    mandatory: bool = False


@dataclass(frozen=True)
class SubdomainSpec:
    code: str
    title: str
    criteria: tuple[CriterionSpec, ...]
    threshold_percent: Fraction = DEFAULT_THRESHOLD_PERCENT


@dataclass(frozen=True)
class DomainSpec:
    code: str
    title: str
    subdomains: tuple[SubdomainSpec, ...]


@dataclass(frozen=True)
class ProfileSpec:
    """Numbers that may change with a référentiel version (docs/rules.md: never constants in code)."""

    overall_threshold_percent: Fraction = DEFAULT_THRESHOLD_PERCENT
    max_initial_assessment_minutes: int = 7 * 60
    max_final_assessment_minutes: int = 3 * 60
    path_validity_years: int = 5
    jury_min_members_per_college: int = 1
    fee_initial_assessment_cents: int = 2000
    fee_certificate_cents: int = 500


@dataclass(frozen=True)
class ReferentielSpec:
    certification_code: str
    certification_name: str
    label: str
    domains: tuple[DomainSpec, ...]
    profile: ProfileSpec = field(default_factory=ProfileSpec)
    version_number: int | None = None
    provisional: bool = False
    source: str = ""

    def subdomains(self) -> tuple[SubdomainSpec, ...]:
        return tuple(s for d in self.domains for s in d.subdomains)

    def criteria(self) -> tuple[CriterionSpec, ...]:
        return tuple(c for s in self.subdomains() for c in s.criteria)

    def counts(self) -> tuple[int, int, int]:
        return len(self.domains), len(self.subdomains()), len(self.criteria())
