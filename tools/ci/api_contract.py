"""The API keeps its contract, checked as an integrator would: schemathesis over every operation of the
served schema, with the API tokens of three roles, against the production server of the crawl.

    tools/ci/api_contract.py BASE_URL [--max-examples N] [--workers N] [--seed N]

Run by tools/ci/crawl_production.sh after the crawl (same database, same gunicorn with the production
settings). Every answer must be a documented status with the documented body, content type and headers,
and none a server error. The tokens are made here, in the crawl database, for the demo accounts below.
Exit status 1 on any failure; schemathesis prints each one with a curl command that reproduces it.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

# The three sides of the API: the evaluator organisation's path, the certifier's back office, the jury.
ROLES = {
    "évaluatrice": "evaluateur@demo.clea.fr",
    "certificateur": "certificateur@demo.clea.fr",
    "organisatrice de jurys": "jury@demo.clea.fr",
}
# Server errors, undocumented statuses, bodies, content types and headers. Not the checks that expect
# every schema-valid body to be accepted: business rules refuse many (a closed dossier, a stale grid).
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance,response_headers_conformance"
)


def tokens() -> dict[str, str]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    import django

    django.setup()
    import datetime

    from django.db import connections
    from django.utils import timezone

    from clea.accounts.models import User
    from clea.api.models import Scope
    from clea.api.tokens import issue_token

    today = timezone.localdate()
    made = {}
    for role, email in ROLES.items():
        user = User.objects.get(email=email)
        organisation = user.memberships.filter(is_active=True).order_by("pk").first().organisation
        _, made[role] = issue_token(
            user,
            organisation=organisation,
            name="Contrat d'API (CI)",
            scope=Scope.WRITE,
            expires_on=today + datetime.timedelta(days=1),
            today=today,
        )
    connections.close_all()
    return made


def run(args: argparse.Namespace, role: str, token: str) -> tuple[int, str]:
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{args.base_url}/api/v1/schema/",
        "--header",
        f"Authorization: Token {token}",
        "--header",
        "X-Forwarded-Proto: https",  # as the TLS proxy does (SECURE_SSL_REDIRECT stays on)
        "--checks",
        CHECKS,
        "--max-examples",
        str(args.max_examples),
        "--workers",
        str(args.workers),
        "--seed",
        str(args.seed),
        "--request-timeout",
        "60",
        "--no-shrink",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 (our own argv)
    return done.returncode, done.stdout + done.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base_url", help="the loopback server, e.g. http://127.0.0.1:8123")
    parser.add_argument("--max-examples", type=int, default=20, help="test cases per operation and phase")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seed", type=int, default=20261127, help="the same cases from run to run")
    args = parser.parse_args()

    started, failed, summary = time.monotonic(), False, []
    for role, token in tokens().items():
        began = time.monotonic()
        status, output = run(args, role, token)
        operations = re.search(r"Tested: (\d+)", output)
        cases = re.search(r"(\d+) generated", output)
        summary.append(
            f"  {role:24} {operations[1] if operations else '?'} operations, {cases[1] if cases else '?'} requests, "
            f"{time.monotonic() - began:.0f}s: {'OK' if status == 0 else 'FAILURES'}"
        )
        if status != 0:
            failed = True
            print(f"-- schemathesis as {role} (exit status {status})\n{output}")
    print(f"\n== API contract (schemathesis, {time.monotonic() - started:.0f}s)\n" + "\n".join(summary))
    print("FAILURES: see above" if failed else "no failure")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
