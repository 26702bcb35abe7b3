"""The evaluation grid as rows to display: criteria grouped by domain and sub-domain, in a few queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from clea.evaluations.models import CriterionJudgement, Evaluation
from clea.evaluations.services import GridEntry, current_revisions, judgement_records
from clea.referentiel.models import Criterion
from clea.referentiel.scoring import Judgement, latest_judgements


@dataclass
class GridRow:
    criterion: Criterion
    record: CriterionJudgement | None
    editable: bool
    earlier: str | None = None

    @property
    def judgement(self) -> str:
        return self.record.judgement if self.record else Judgement.NOT_ASSESSED.value

    @property
    def revision(self) -> int | None:
        return self.record.pk if self.record else None


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


def build_grid(evaluation: Evaluation) -> list[DomainGroup]:
    criteria = (
        Criterion.objects.filter(version=evaluation.referentiel_version)
        .select_related("subdomain__domain")
        .order_by("subdomain__domain__position", "subdomain__position", "position")
    )
    scope = set(evaluation.scope.values_list("pk", flat=True))
    current = current_revisions(evaluation)
    others = evaluation.dossier.evaluations.filter(closed_at__isnull=False).exclude(pk=evaluation.pk)
    earlier = latest_judgements(judgement_records(others))
    domains: dict[str, DomainGroup] = {}
    subdomains: dict[str, SubdomainGroup] = {}
    for criterion in criteria:
        sub, dom = criterion.subdomain, criterion.subdomain.domain
        domain_group = domains.setdefault(dom.code, DomainGroup(dom.code, dom.title))
        if sub.code not in subdomains:
            subdomains[sub.code] = SubdomainGroup(sub.code, sub.title)
            domain_group.subdomains.append(subdomains[sub.code])
        subdomains[sub.code].rows.append(
            GridRow(criterion, current.get(criterion.pk), criterion.pk in scope, earlier.get(criterion.code))
        )
    return list(domains.values())


def row_for(evaluation: Evaluation, code: str) -> GridRow:
    criterion = Criterion.objects.select_related("subdomain__domain").get(
        version=evaluation.referentiel_version, code=code
    )
    record = current_revisions(evaluation).get(criterion.pk)
    return GridRow(criterion, record, evaluation.scope.filter(pk=criterion.pk).exists())


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
