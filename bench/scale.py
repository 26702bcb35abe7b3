"""Entry point of `make bench-scale`: the pages under load at national scale (issue 11, point 2).

    .venv/bin/python bench/scale.py --sizes 10000,100000 [--duration 15] [--connections 20] [--keep]
    .venv/bin/python bench/scale.py --reuse                 # measure the bench database as it is
    .venv/bin/python bench/scale.py --demo --duration 5     # setup_demo data instead of the seed

Recreates a PostgreSQL database whose name contains "bench", loads référentiels and geography, grows
it with `manage.py seed_national <size>` for each size (increasing), serves it with gunicorn and the
production settings, drives each page with wrk and measures it in process too. Prints one table per
size, then the growth table; saves var/bench-scale-<timestamp>.json. Exit status 1 only when a page
failed (unexpected status), never for slowness. bench/README.md describes the figures.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.scale import environment, load, report, server  # noqa: E402
from bench.scale.report import PageResult, SizeResult  # noqa: E402
from bench.scale.targets import Identity, Page  # noqa: E402

WARMUP_SECONDS = 3.0
PROBE = ("trivial", "health")  # the reference itself, and the health endpoint (no trivial run before them)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Pages sous charge à l'échelle nationale (wrk + gunicorn).")
    parser.add_argument("--sizes", default="10000,100000", help="nombres de dossiers, croissants (10000,100000)")
    parser.add_argument("--duration", type=float, default=15, help="secondes de charge par page (15)")
    parser.add_argument("--connections", type=int, default=20, help="connexions simultanées de wrk (20)")
    parser.add_argument("--database", help=f"nom de la base jetable (« {environment.DEFAULT_DATABASE} »)")
    parser.add_argument("--reuse", action="store_true", help="mesurer la base telle quelle (ni recréation ni seed)")
    parser.add_argument("--keep", action="store_true", help="garder la base à la fin (pour --reuse)")
    parser.add_argument(
        "--demo", action="store_true", help="données de setup_demo (+ enrichissement de la CI) au lieu du seed"
    )
    args = parser.parse_args(argv)
    args.sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    args.database = args.database or (environment.DEMO_DATABASE if args.demo else environment.DEFAULT_DATABASE)
    if "bench" not in args.database:
        parser.error(f"le nom de la base doit contenir « bench » : {args.database}")
    return args


# --- one page ----------------------------------------------------------------------------------------


def warmup_share(pool: int, duration: float) -> int:
    """Cells (grid save) left to the warm-up, in proportion of its time: each cell is saved once."""
    return int(pool * WARMUP_SECONDS / (WARMUP_SECONDS + duration))


def measure_page(page: Page, host: str, args: argparse.Namespace) -> PageResult:
    """Check one request, measure in process, warm up, then the trivial page and the page under wrk."""
    from bench.scale import inprocess, targets

    result = PageResult(page.key, page.label, missing=page.missing)
    if page.missing:
        return result
    first = page.take(1)[0] if page.pool else None
    checked = load.check(page, host, first)
    if not checked.ok:
        result.failure = checked.detail
        return result
    result.inprocess = inprocess.measure(page, host)
    run: Callable[..., load.LoadResult] = load.run_wrk
    options = {"duration": args.duration, "connections": args.connections}
    run(
        page,
        host,
        **{**options, "duration": WARMUP_SECONDS},
        requests=page.take(warmup_share(len(page.pool), args.duration)) or None,
    )
    if page.key not in PROBE:
        result.trivial = run(
            targets.trivial_page(page.identity if page.method == "GET" else _session_only(page)), host, **options
        )
    before = page.written() if page.written else 0
    result.load = run(page, host, **options, requests=page.take(len(page.pool)) or None)
    if page.key == "trivial":
        result.trivial = result.load
    judge_load(result, page, before)
    return result


def _session_only(page: Page) -> Identity:
    """The trivial page with the same session cookie as a POST (without its form headers)."""
    return Identity(cookies=dict(page.identity.cookies))


def judge_load(result: PageResult, page: Page, before: int) -> None:
    measured = result.load
    assert measured is not None
    if measured.non_2xx_3xx:
        result.failure = f"{measured.non_2xx_3xx} réponses hors 2xx/3xx sur {measured.requests}"
    if not measured.requests:
        result.notes.append("aucune réponse pendant la mesure (page plus lente que la durée)")
    if measured.socket_errors:
        result.notes.append(f"{measured.socket_errors} erreurs de connexion ou délais dépassés côté wrk")
    if page.written is None:
        return
    written = page.written() - before
    result.notes.append(
        f"{measured.matched} réponses « Enregistré » sur {measured.requests} requêtes, "
        f"{written} résultats écrits en base pendant la mesure"
    )
    if measured.missed:
        result.notes.append(f"{measured.missed} réponses sans « Enregistré » (cellules épuisées : relues périmées)")
    if written == 0:
        result.failure = "aucun résultat enregistré en base"


# --- one size ----------------------------------------------------------------------------------------


def measure_size(size: int | None, gunicorn: server.Server, args: argparse.Namespace) -> SizeResult:
    from bench.scale import targets

    database = environment.database_stats()
    pages = targets.pages(args.demo)
    results = []
    for page in pages:
        print(f"  … {page.label}", flush=True)
        result = measure_page(page, gunicorn.host, args)
        if result.failure:
            result.server_log = gunicorn.log_tail(errors_only=True)
        results.append(result)
    return SizeResult(size, database, results)


def prepare(args: argparse.Namespace, env: dict[str, str]) -> None:
    if args.reuse:
        print(f"-- base {args.database} réutilisée telle quelle (migrations en attente appliquées)", flush=True)
        environment.manage(env, "migrate", "--noinput", "-v", "0")  # the code measured may be newer
        return
    print(f"-- base {args.database} recréée : migrations, référentiels, géographie", flush=True)
    environment.recreate_database(env["DATABASE_URL"])
    if args.demo:
        environment.prepare_demo_data(env)
    else:
        environment.prepare_reference_data(env)


def grow(size: int, env: dict[str, str]) -> None:
    from django.db import connections

    connections.close_all()
    print(f"-- seed_national {size}", flush=True)
    started = datetime.datetime.now()
    environment.seed(env, size)
    print(f"   ({(datetime.datetime.now() - started).total_seconds():.0f} s)", flush=True)


def metadata(args: argparse.Namespace) -> dict[str, object]:
    def output(*command: str) -> str:
        completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603 (our own argv)
        return (completed.stdout or completed.stderr).strip().splitlines()[0] if completed.returncode == 0 else ""

    return {
        "started_at": datetime.datetime.now().isoformat(timespec="seconds"),
        "database": args.database,
        "demo": args.demo,
        "reuse": args.reuse,
        "duration_s": args.duration,
        "connections": args.connections,
        "wrk_threads": load.THREADS,
        "gunicorn_workers": server.WORKERS,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "commit": output("git", "rev-parse", "HEAD"),
        "wrk": output("wrk", "--version"),
    }


def run_sizes(args: argparse.Namespace, env: dict[str, str], gunicorn: server.Server) -> list[SizeResult]:
    sizes: list[int | None] = [None] if args.reuse or args.demo else list(args.sizes)
    results = []
    for size in sizes:
        if size is not None:
            grow(size, env)
        results.append(measure_size(size, gunicorn, args))
        report.print_size(results[-1], connections=args.connections, duration=args.duration)
    report.print_growth(results)
    return results


def measure_all(args: argparse.Namespace) -> list[SizeResult]:
    """Prepare the database, serve it, measure every size; the database is dropped unless kept."""
    with tempfile.TemporaryDirectory(prefix="clea-bench-scale-") as work:
        env = environment.production_env(environment.database_url(args.database), Path(work) / "static")
        os.environ.update(env)  # the bench process: same settings, secret key (session hashes) and database
        prepare(args, env)
        server.collectstatic(env)
        import django

        django.setup()
        gunicorn = server.start(env, Path(work) / "gunicorn.log")
        print(f"-- gunicorn ({server.WORKERS} workers, réglages de production) sur {gunicorn.base_url}", flush=True)
        try:
            return run_sizes(args, env, gunicorn)
        finally:
            gunicorn.stop()
            if not (args.keep or args.reuse):
                from django.db import connections

                connections.close_all()
                environment.drop_database(env["DATABASE_URL"])


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not load.wrk_available():
        print("bench-scale : wrk est introuvable (apt-get install wrk).", file=sys.stderr)
        return 2
    meta = metadata(args)
    try:
        results = measure_all(args)
    except subprocess.CalledProcessError as exc:
        command = " ".join(str(part) for part in exc.cmd[1:])
        print(f"bench-scale : la commande « {command} » a échoué (code {exc.returncode}).", file=sys.stderr)
        return 2
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = ROOT / "var" / f"bench-scale-{stamp}.json"
    report.save(path, meta, results)
    print(f"\nRésultats : {path.relative_to(ROOT)}")
    failed = [p for r in results for p in r.pages if p.failure]
    for page in failed:
        print(f"ÉCHEC : {page.label} ({page.failure})")
        if page.server_log:
            print(f"  journal du serveur (erreurs) :\n{page.server_log}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
