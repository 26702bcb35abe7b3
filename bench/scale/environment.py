"""The throwaway database and the production environment shared by gunicorn and the bench process."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent.parent
LOCAL_SERVER = "postgres://clea:clea@127.0.0.1:5432/postgres"
DEFAULT_DATABASE = "clea_bench_scale"
# The demo data refuse to load without DEBUG; crawl_production.py enrich only runs on a "crawl" database.
DEMO_DATABASE = "clea_bench_scale_crawl"


def database_url(name: str) -> str:
    """The database ``name`` on the server of DATABASE_URL (PostgreSQL), else on the local server."""
    configured = os.environ.get("DATABASE_URL", "")
    server = configured if configured.startswith(("postgres://", "postgresql://")) else LOCAL_SERVER
    parts = urlsplit(server)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def production_env(url: str, static_root: Path) -> dict[str, str]:
    """As tools/ci/crawl_production.sh: production settings, nothing from a developer's .env."""
    env = {k: v for k, v in os.environ.items() if k != "SECURE_SSL_REDIRECT"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        DATABASE_URL=url,
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        CSRF_TRUSTED_ORIGINS="",
        STATIC_ROOT=str(static_root),
        MAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
        REDIS_URL="",
        # Throttling would hide the answers under load; the certificate verification counts per client
        # address behind the proxy we speak as (X-Forwarded-For), so each request is a distinct client.
        API_THROTTLE_USER="1000000000/min",
        API_THROTTLE_ANON="1000000000/min",
        TRUSTED_PROXIES="1",
    )
    return env


def manage(env: dict[str, str], *args: str, quiet: bool = True) -> None:
    """Run ``manage.py`` in a child process (the bench process keeps its own connection)."""
    output = subprocess.DEVNULL if quiet else None
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=output)  # noqa: S603 (our own argv)


def _administer(url: str, *statements: str) -> None:
    """Statements on the server's "postgres" database, for the bench database of ``url`` only."""
    name = database_name(url)
    if "bench" not in name:
        raise SystemExit(f"bench-scale : refus de supprimer la base « {name} » (son nom doit contenir « bench »).")
    import psycopg

    admin = urlunsplit((*urlsplit(url)[:2], "/postgres", "", ""))
    with psycopg.connect(admin, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement.format(name=name))


def recreate_database(url: str) -> None:
    _administer(url, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', 'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    _administer(url, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare_reference_data(env: dict[str, str]) -> None:
    """What setup_demo does, without the demo data: schema, cache table, référentiels, geography."""
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "createcachetable")
    manage(env, "load_referentiels")
    manage(env, "load_geography")


def prepare_demo_data(env: dict[str, str]) -> None:
    """Development stand-in for the seed: setup_demo (DEBUG), then the CI crawl's later steps."""
    manage({**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DEBUG": "true"}, "setup_demo")
    manage(env, "createcachetable")
    if "crawl" in database_name(env["DATABASE_URL"]):
        enrich = [sys.executable, "tools/ci/crawl_production.py", "enrich"]
        subprocess.run(enrich, cwd=ROOT, env=env, check=True)  # noqa: S603 (our own argv)


def seed(env: dict[str, str], size: int) -> None:
    """Grow the database to ``size`` dossiers (manage.py seed_national), then refresh the planner's statistics."""
    manage(env, "seed_national", str(size), quiet=False)
    analyze()


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def database_stats() -> dict[str, object]:
    from django.db import connection

    from clea.dossiers.models import Dossier
    from clea.evaluations.models import CriterionJudgement

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(db)), pg_database_size(db) FROM current_database() db")
        pretty, size = cursor.fetchone()
    return {
        "size": pretty,
        "size_bytes": size,
        "dossiers": Dossier.objects.count(),
        "judgements": CriterionJudgement.objects.count(),
    }
