"""The evaluation grid as rows to display: criteria grouped by domain and sub-domain, in a few queries."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from django.urls import reverse
from django.utils.text import slugify

from clea.evaluations.models import JUDGEMENT_CHOICES, CriterionJudgement, Evaluation
from clea.evaluations.services import GridEntry, current_revisions, judgement_records
from clea.referentiel.models import Criterion, ReferentielVersion, VersionStatus
from clea.referentiel.scoring import Judgement, latest_judgements


@dataclass(frozen=True)
class GridCriterion:
    """A criterion as the grid shows it (its version is immutable once in force: cached per process)."""

    pk: int
    code: str
    title: str
    slug: str


@dataclass
class GridRow:
    criterion: GridCriterion
    record: CriterionJudgement | None
    editable: bool
    earlier: str | None = None
    # Set by the grid: where its cell posts, whether it has inputs, whether they save as they change.
    cell_url: str = ""
    inputs: bool = False
    live: bool = False
    html: str = ""  # its markup, once rendered (clea.evaluations.grid_html)

    @property
    def judgement(self) -> str:
        return self.record.judgement if self.record else Judgement.NOT_ASSESSED.value

    @property
    def revision(self) -> int | None:
        return self.record.pk if self.record else None

    @property
    def options(self) -> list[tuple[str, str, bool]]:
        current = self.judgement
        return [(value, label, value == current) for value, label in JUDGEMENT_CHOICES]


@dataclass
class SubdomainGroup:
    code: str
    title: str
    rows: list[GridRow] = field(default_factory=list)


@dataclass
class DomainGroup:
    code: str
    title: str
    subdomains: list[SubdomainGroup] = field(default_factory=list)


Structure = tuple[tuple[str, str, tuple[tuple[str, str, tuple[GridCriterion, ...]], ...]], ...]


def version_structure(version: ReferentielVersion) -> Structure:
    """Domains, sub-domains and criteria in order. A version in force never changes (DraftOnlyModel), so
    it is read once per process; keyed by public id too, since a rolled-back test may reuse a pk."""
    if version.status == VersionStatus.DRAFT:
        return _read_structure(version.pk)
    return _cached_structure(version.pk, version.public_id)


@functools.lru_cache(maxsize=64)
def _cached_structure(pk: int, public_id: object) -> Structure:
    return _read_structure(pk)


def _read_structure(version_pk: int) -> Structure:
    criteria = (
        Criterion.objects.filter(version_id=version_pk)
        .select_related("subdomain__domain")
        .order_by("subdomain__domain__position", "subdomain__position", "position")
    )
    domains: dict[str, tuple[str, dict[str, tuple[str, list[GridCriterion]]]]] = {}
    for criterion in criteria:
        sub, dom = criterion.subdomain, criterion.subdomain.domain
        subdomains = domains.setdefault(dom.code, (dom.title, {}))[1]
        subdomains.setdefault(sub.code, (sub.title, []))[1].append(
            GridCriterion(criterion.pk, criterion.code, criterion.title, slugify(criterion.code))
        )
    return tuple(
        (code, title, tuple((sub_code, sub_title, tuple(rows)) for sub_code, (sub_title, rows) in subs.items()))
        for code, (title, subs) in domains.items()
    )


def cell_url_maker(evaluation: Evaluation) -> Callable[[str], str]:
    """One URL reversal for the whole grid instead of one per input."""
    marker = "CRITERION-CODE"
    pattern = reverse("evaluations:grid_cell", args=[evaluation.dossier.public_id, evaluation.public_id, marker])
    return lambda code: pattern.replace(marker, quote(code, safe=""))


def _row(evaluation, criterion, record, editable, earlier, url, *, correcting: bool) -> GridRow:
    """Inputs on an open evaluation, or on a closed one when the whole grid is shown for a correction."""
    closed = evaluation.is_closed
    inputs = editable and (not closed or correcting)
    return GridRow(criterion, record, editable, earlier, cell_url=url(criterion.code), inputs=inputs, live=not closed)


def build_grid(evaluation: Evaluation) -> list[DomainGroup]:
    scope = set(evaluation.scope.values_list("pk", flat=True))
    current = current_revisions(evaluation)
    others = evaluation.dossier.evaluations.filter(closed_at__isnull=False).exclude(pk=evaluation.pk)
    earlier = latest_judgements(judgement_records(others))
    url = cell_url_maker(evaluation)
    return [
        DomainGroup(
            code,
            title,
            [
                SubdomainGroup(
                    sub_code,
                    sub_title,
                    [
                        _row(evaluation, c, current.get(c.pk), c.pk in scope, earlier.get(c.code), url, correcting=True)
                        for c in criteria
                    ],
                )
                for sub_code, sub_title, criteria in subdomains
            ],
        )
        for code, title, subdomains in version_structure(evaluation.referentiel_version)
    ]


def row_for(evaluation: Evaluation, code: str) -> GridRow:
    """One row, as its cell's save answers it; ``LookupError`` for a code the version does not have."""
    for _code, _title, subdomains in version_structure(evaluation.referentiel_version):
        for _sub_code, _sub_title, criteria in subdomains:
            for criterion in criteria:
                if criterion.code == code:
                    record = current_revisions(evaluation).get(criterion.pk)
                    editable = evaluation.scope.filter(pk=criterion.pk).exists()
                    url = cell_url_maker(evaluation)
                    return _row(evaluation, criterion, record, editable, None, url, correcting=False)
    raise LookupError(code)


def all_acquired(post, groups):
    """« Tout acquis » for a sub-domain: its open cells are posted as acquired, each with the revision
    the evaluator saw (so the stale check still holds), together with the other changes of the form."""
    code = post.get("tout_acquis")
    if not code:
        return post
    post = post.copy()
    for group in groups:
        for sub in group.subdomains:
            if sub.code == code:
                for row in sub.rows:
                    if row.inputs:
                        post[f"j-{row.criterion.code}"] = "acquired"
    return post


def entries_from_post(post, evaluation: Evaluation, rows: list[GridRow]) -> list[GridEntry]:
    """Cells the evaluator changed, each with the revision they saw; untouched cells are not sent, so a
    colleague's save elsewhere in the grid is no conflict."""
    submitted = {}
    for row in rows:
        code = row.criterion.code
        if row.editable and f"j-{code}" in post:
            raw = post.get(f"r-{code}", "")
            submitted[code] = (
                post.get(f"j-{code}", ""),
                post.get(f"c-{code}", "").strip(),
                int(raw) if raw.isdigit() else None,
            )
    seen = {
        record.pk: (record.judgement, record.comment)
        for record in CriterionJudgement.objects.filter(
            evaluation=evaluation, pk__in=[rev for _, _, rev in submitted.values() if rev]
        )
    }
    entries = []
    for code, (judgement, comment, revision) in submitted.items():
        before = (
            seen.get(revision, (Judgement.NOT_ASSESSED.value, "")) if revision else (Judgement.NOT_ASSESSED.value, "")
        )
        if before != (judgement, comment):
            entries.append(GridEntry(code, judgement, comment, revision))
    return entries
