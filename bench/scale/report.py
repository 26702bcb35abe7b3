"""Results of the load benchmark: one table per size, the growth table, the JSON file."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.scale.inprocess import InProcessResult
from bench.scale.load import LoadResult

TRIVIAL_TARGET = 5.0  # × the trivial page, at p95
INPROCESS_TARGET_MS = 20.0
GROWTH_TARGET = 1.2  # p95 at the largest size / p95 at the smallest


@dataclass
class PageResult:
    key: str
    label: str
    failure: str | None = None  # "ÉCHEC" rows: unexpected status, no answer
    missing: str | None = None  # nothing to measure in this database
    load: LoadResult | None = None
    trivial: LoadResult | None = None  # /accessibilite/, measured just before
    inprocess: InProcessResult | None = None
    notes: list[str] = field(default_factory=list)
    server_log: str = ""  # gunicorn's last error lines, for a failed page

    @property
    def ratio(self) -> float | None:
        if self.load is None or self.trivial is None or not self.trivial.p95_ms:
            return None
        return self.load.p95_ms / self.trivial.p95_ms


@dataclass
class SizeResult:
    size: int | None  # None: the database as it is (--reuse)
    database: dict[str, object]
    pages: list[PageResult]

    @property
    def short(self) -> str:
        return "base" if self.size is None else f"{self.size:,}".replace(",", " ")

    @property
    def name(self) -> str:
        return "base telle quelle" if self.size is None else f"{self.size:,} dossiers".replace(",", " ")


def verdict(value: float | None, target: float) -> str:
    if value is None:
        return ""
    return "OK" if value <= target else "au-dessus"


def number(value: float | None, digits: int = 1, suffix: str = "") -> str:
    return "—" if value is None else f"{value:.{digits}f}{suffix}"


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        first, *rest = values
        return "  ".join([first.ljust(widths[0]), *(v.rjust(w) for v, w in zip(rest, widths[1:], strict=True))])

    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


def size_row(page: PageResult) -> list[str]:
    if page.failure or page.missing:
        return [page.label, "ÉCHEC" if page.failure else "non mesurée", "", "", "", "", ""]
    load, inproc = page.load, page.inprocess
    ratio = page.ratio
    in_ms = inproc.median_ms if inproc else None
    in_text = inproc.error if inproc and inproc.error else f"{number(in_ms)} {verdict(in_ms, INPROCESS_TARGET_MS)}"
    return [
        page.label,
        number(load.p50_ms if load else None),
        number(load.p95_ms if load else None),
        number(load.rps if load else None, 0),
        f"{number(ratio, 2)} {verdict(ratio, TRIVIAL_TARGET)}".strip() if page.key != "trivial" else "1 (référence)",
        in_text.strip(),
        str(inproc.queries) if inproc and inproc.queries is not None else "—",
    ]


def print_size(result: SizeResult, *, connections: int, duration: float) -> None:
    db = result.database
    print(
        f"\n=== {result.name} — base {db['size']}, {db['dossiers']} dossiers, "
        f"{db['judgements']} résultats de critères ; wrk {connections} connexions, {duration:g} s par page ==="
    )
    headers = (
        "Page",
        "p50 ms",
        "p95 ms",
        "req/s",
        f"× triviale (≤ {TRIVIAL_TARGET:g})",
        f"en process ms (≤ {INPROCESS_TARGET_MS:g})",
        "requêtes",
    )
    print_table(headers, [size_row(p) for p in result.pages])
    for page in result.pages:
        if page.failure:
            print(f"  · {page.label} : ÉCHEC, {page.failure}")
        if page.missing:
            print(f"  · {page.label} : non mesurée, {page.missing}")
        for note in page.notes:
            print(f"  · {page.label} : {note}")


def generic(label: str) -> str:
    """The page without what was picked at one size (name searched, dossiers on the session...)."""
    return label.split(" (")[0].split(", ")[0]


def growth_rows(results: Sequence[SizeResult]) -> list[list[str]]:
    rows = []
    for index, first in enumerate(results[0].pages):
        same = [r.pages[index] for r in results if index < len(r.pages) and r.pages[index].key == first.key]
        p95 = [p.load.p95_ms if p.load and not p.failure else None for p in same]
        ratios = [p.ratio if not p.failure else None for p in same]
        growth = p95[-1] / p95[0] if len(p95) > 1 and p95[0] and p95[-1] is not None else None
        rows.append(
            [
                first.label,
                *(number(v) for v in p95),
                f"{number(growth, 2)} {verdict(growth, GROWTH_TARGET)}".strip(),
                *(number(v, 2) for v in ratios),
            ]
        )
    return rows


def print_growth(results: Sequence[SizeResult]) -> None:
    if len(results) < 2:
        return
    names = [r.name for r in results]
    headers = (
        "Page",
        *(f"p95 {n}" for n in names),
        f"croissance p95 (≤ {GROWTH_TARGET:g})",
        *(f"× triv. {n}" for n in names),
    )
    print(f"\n=== Croissance de {results[0].name} à {results[-1].name} ===")
    print_table(headers, growth_rows(results))
    sizes = "  ".join(f"{r.name} : {r.database['size']}" for r in results)
    print(f"Taille de la base : {sizes}")


def save(path: Path, meta: dict[str, object], results: Sequence[SizeResult]) -> None:
    def page_data(page: PageResult) -> dict[str, object]:
        data = asdict(page)
        data["ratio_to_trivial"] = page.ratio
        return data

    payload = {
        **meta,
        "targets": {"ratio_to_trivial": TRIVIAL_TARGET, "inprocess_ms": INPROCESS_TARGET_MS, "growth": GROWTH_TARGET},
        "sizes": [{"size": r.size, "database": r.database, "pages": [page_data(p) for p in r.pages]} for r in results],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
