"""EXPLAIN (ANALYZE, BUFFERS) of the evaluator's dossier list, as a given source tree runs it (issue 11).

    .venv/bin/python bench/explain_list.py [--database clea_bench_scale] [--root PATH]

``--root`` is the tree whose code builds the queries (default: this checkout); to see the plan before
the national-scale work: ``git worktree add /tmp/before 764fb7a~1`` then ``--root /tmp/before``.
The bench account ``bench.evaluateur@seed.invalid`` (seed_national) asks for page 1 of its list with
the production settings; each query on the dossier table is explained on the same database.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
LOCAL_SERVER = "postgres://clea:clea@127.0.0.1:5432"


def main() -> int:
    parser = argparse.ArgumentParser(description="EXPLAIN ANALYZE de la liste des dossiers d'un évaluateur.")
    parser.add_argument("--database", default="clea_bench_scale")
    parser.add_argument("--root", default=str(HERE), help="arbre de sources dont le code construit les requêtes")
    args = parser.parse_args()
    sys.path.insert(0, args.root)
    os.chdir(args.root)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY="x" * 50,
        DEBUG="false",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"{LOCAL_SERVER}/{args.database}",
        LOG_LEVEL="ERROR",
        REDIS_URL="",
        DB_PREPARE_THRESHOLD="",  # plain statements: EXPLAIN shows the planning each one costs
    )
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from clea.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email="bench.evaluateur@seed.invalid"))
    # No collected static files needed: the page links them through the plain storage.
    plain = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES={**settings.STORAGES, **plain}):
        client.get(reverse("dossiers:list"), secure=True)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("dossiers:list"), secure=True)
    if response.status_code != 200:
        print(f"La liste répond {response.status_code}.")
        return 1
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if "dossiers_dossier" not in query["sql"]:
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print(query["sql"][:160] + " …")
            print("\n".join(row[0] for row in cursor.fetchall()), end="\n\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
