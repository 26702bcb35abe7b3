"""Entry point of `make bench`: set Django up, build a throwaway database, run the benchmarks, drop it.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/run.py [--runs 30]

The database is whatever DATABASES says (SQLite by default, PostgreSQL when DATABASE_URL is set); the
benchmark never touches it: it creates the test database next to it (as the test runner does) and
destroys it at the end, even after an error.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mesures de la grille d'évaluation et de la liste des dossiers.")
    parser.add_argument("--runs", type=int, default=30, help="répétitions par mesure (30 par défaut)")
    parser.add_argument(
        "--only",
        choices=("grid", "directory", "certificates"),
        help="une seule série de mesures (grille, annuaire ou certificats) au lieu de toutes",
    )
    args = parser.parse_args(argv)

    import django

    django.setup()

    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    from bench import certificates, directory, grid_save

    setup_test_environment()
    tmpdir = None
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        # A file, as in production (WAL journal, real writes), rather than the in-memory test default.
        tmpdir = tempfile.TemporaryDirectory(prefix="clea-bench-")
        test_settings["NAME"] = str(Path(tmpdir.name) / "bench.sqlite3")
    else:
        # Its own name: never the test_<name> database that a `make test` running meanwhile uses.
        test_settings["NAME"] = f"test_{connection.settings_dict['NAME']}_bench_{os.getpid()}"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        failures = []
        for name, module in (("grid", grid_save), ("directory", directory), ("certificates", certificates)):
            if args.only in (None, name):
                failures += module.run(runs=args.runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        if tmpdir is not None:
            tmpdir.cleanup()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
