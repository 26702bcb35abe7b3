"""Crawl the platform served with the production settings; run it through tools/ci/crawl_production.sh.

    crawl_production.py enrich                                 after setup_demo, before the server starts
    crawl_production.py crawl http://127.0.0.1:PORT [--per-pattern N]

``enrich`` takes the demo data further along the path, through the real services, so that the pages of
the later steps are seen with real objects too: the demo dossier awaiting its jury is awarded by a closed
session, its certificate is issued, posted and reported to the CPF; an open session; a referral, a
transfer request, an absence request; a candidate space (activated with the demo password) and
a pending invitation whose token is ``INVITATION_TOKEN``.

Every URL pattern of Django's resolver is requested (GET), anonymously and as each demo account logged in
through the real login form. Parameters are filled with demo objects (those the account may see first,
at several states); a parameter no demo object fills gets an unknown value (listed in the summary:
those pages are only seen answering 4xx). The crawler speaks as the TLS-terminating proxy: it sends
``X-Forwarded-Proto: https``, so the HTTPS redirect, HSTS and secure cookies stay as in production.

Exit status 1 on: an answer >= 500 or none; a stylesheet or script referenced by a page that does not
answer 200 (or is not served by the platform); a failed login; a session lost during the crawl.
"""

import argparse
import collections
import datetime
import http.client
import itertools
import os
import re
import sys
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

INVITATION_TOKEN = "crawl-invitation-token"  # noqa: S105 (a throw-away crawl database)

UNKNOWN = {"uuid": uuid.UUID(int=0), "int": 999999}  # anything else: "crawl-inconnu"
# The literal path segment before a parameter -> the model (and filter) of the demo objects that fill it.
EVALUATORS = {"kind": "evaluator"}
MODELS = {
    "referentiels": ("referentiel.ReferentielVersion", {}),
    "organisations": ("organisations.Organisation", {}),
    "habilitations": ("organisations.Habilitation", {}),
    "membres": ("organisations.Membership", {}),
    "dossiers": ("dossiers.Dossier", {}),
    "transferts": ("dossiers.TransferRequest", {}),
    "transfer-requests": ("dossiers.TransferRequest", {}),
    "evaluations": ("evaluations.Evaluation", {}),
    "parcours": ("training.TrainingPath", {}),
    "training-paths": ("training.TrainingPath", {}),
    "redevances": ("organisations.Organisation", EVALUATORS),
    "absences": ("absences.AbsenceRequest", {}),
    "absence-requests": ("absences.AbsenceRequest", {}),
    "orientations": ("referrals.Referral", {}),
    "referrals": ("referrals.Referral", {}),
    "jurys": ("jury.JurySession", {}),
    "jury-sessions": ("jury.JurySession", {}),
    "sessions": ("jury.JurySession", {}),
    "decisions": ("jury.SessionDossier", {}),
    "entries": ("jury.SessionDossier", {}),
    "envois": ("certificates.MailingBatch", {}),
    "mailing-batches": ("certificates.MailingBatch", {}),
    "courriers": ("certificates.Mailing", {}),
    "mailings": ("certificates.Mailing", {}),
    "cpf": ("certificates.CpfExport", {}),
    "cpf-exports": ("certificates.CpfExport", {}),
    "certificats": ("certificates.Certificate", {}),
    "certificates": ("certificates.Certificate", {}),
    "annuaire": ("organisations.Organisation", EVALUATORS),
    "directory": ("organisations.Organisation", EVALUATORS),
}


@dataclass
class Pattern:
    route: str  # e.g. dossiers/<uuid:public_id>/
    parts: list  # the RoutePattern / RegexPattern objects from the root
    callback: object
    params: list  # (segment before it, name, converter kind)


def list_patterns() -> list[Pattern]:
    from django.urls import URLResolver, get_resolver
    from django.urls.resolvers import RoutePattern

    found = []

    def walk(resolver, parts):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, [*parts, entry.pattern])
                continue
            chain, route, params = [*parts, entry.pattern], "", []
            for part in chain:
                text = str(part._route if isinstance(part, RoutePattern) else part._regex)
                for match in re.finditer(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", text):
                    name = match[1] or match[2]
                    words = re.findall(r"[\w-]+", re.sub(r"<[^>]*>|\(\?P<\w+>", "", route + text[: match.start()]))
                    converter = getattr(part, "converters", {}).get(name)
                    kind = type(converter).__name__.removesuffix("Converter").lower() if converter else "regex"
                    params.append((words[-1] if words else "", name, kind))
                route += text
            found.append(Pattern(route, chain, entry.callback, params))

    walk(get_resolver(), [])
    return found


def build_path(pattern: Pattern, values: dict) -> str:
    from django.urls.resolvers import RoutePattern

    path = "/"
    for part in pattern.parts:
        if isinstance(part, RoutePattern):
            path += re.sub(
                r"<(?:\w+:)?(\w+)>", lambda m, p=part: str(p.converters[m[1]].to_url(values[m[1]])), part._route
            )
        else:  # the admin's regexes: no nested group in the named groups
            text = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m[1]]), str(part._regex))
            path += re.sub(r"\\(.)", r"\1", text.removeprefix("^").removesuffix(r"\Z").removesuffix("$"))
    return path


def _spread(queryset, n: int) -> list:
    """Up to n objects, one per state first, so pages are seen at several steps."""
    rows = list(queryset.order_by("pk")[:100])
    key = next((f for f in ("state", "status", "kind") if rows and hasattr(rows[0], f)), None)
    firsts = list({getattr(row, key): row for row in reversed(rows)}.values())[::-1] if key else []
    return (firsts + [row for row in rows if row not in firsts])[:n]


def options(pattern: Pattern, param, user, chosen: list) -> list:
    """[(value, object or None)] for one parameter; [] when no demo object fits."""
    from django.apps import apps
    from django.contrib.auth.tokens import default_token_generator
    from django.db.models import ForeignKey
    from django.utils.http import urlsafe_base64_encode

    segment, name, _kind = param
    today = datetime.date.today()
    if name in ("year", "month"):
        return [(getattr(today, name), None)]
    if (segment, name) == ("evaluations", "kind"):
        from clea.evaluations.views import KINDS

        return [(kind, None) for kind in KINDS]
    if (segment, name) == ("grille", "code"):
        evaluation = next((o for o in chosen if hasattr(o, "scope")), None)
        return [(c.code, None) for c in evaluation.scope.order_by("pk")[:1]] if evaluation else []
    if (segment, name) == ("referentiels", "code"):
        return [(c.code, None) for c in apps.get_model("referentiel.Certification").objects.order_by("pk")]
    if segment in ("verifier", "verification"):
        return [(c.verification_code, c) for c in apps.get_model("certificates.Certificate").objects.order_by("pk")]
    if segment == "mot-de-passe":
        demo = apps.get_model("accounts.User").objects.filter(email__endswith="@demo.clea.fr").order_by("pk")[:1]
        if name == "uidb64":
            return [(urlsafe_base64_encode(str(u.pk).encode()), u) for u in demo]
        return [(default_token_generator.make_token(chosen[-1]), None)] if chosen else []
    if pattern.route.startswith("admin/") and name in ("object_id", "id") and segment != "r":
        model = apps.get_model(*pattern.route.split("/")[1:3])  # admin/<app_label>/<model_name>/...
        return [(row.pk, row) for row in model._default_manager.order_by("pk")[:1]]
    if name == "app_label":
        from django.contrib import admin

        return [(sorted({m._meta.app_label for m in admin.site._registry})[0], None)]
    if (segment, name) == ("activation", "token"):
        return [(INVITATION_TOKEN, None)]
    if segment not in MODELS or name in ("url", "content_type_id", "object_id", "token"):
        return []
    label, filters = MODELS[segment]
    model = apps.get_model(label)
    queryset = model._default_manager.filter(**filters)
    for parent in chosen:  # nested under an object: its own children only
        fks = [f.name for f in model._meta.fields if isinstance(f, ForeignKey) and isinstance(parent, f.related_model)]
        if fks:
            queryset = queryset.filter(**{fks[0]: parent})
    rows = _spread(queryset.visible_to(user), 30) if user and hasattr(queryset, "visible_to") else []
    return [(row.public_id, row) for row in rows or _spread(queryset, 30)]


def targets(pattern: Pattern, user, n: int) -> tuple[list[str], str]:
    """Up to n paths for a pattern and an account, and why they hold an unknown value (or "")."""
    from django.urls import Resolver404, resolve

    combos, why = [({}, [], False)], ""  # (values, chosen objects, has an unknown value)
    for param in pattern.params:
        grown = []
        for values, chosen, unknown in combos:
            found = options(pattern, param, user, chosen)
            if not found:
                why = why or f"no demo object for <{param[1]}>"
                found, unknown = [(UNKNOWN.get(param[2], "crawl-inconnu"), None)], True
            grown += [({**values, param[1]: v}, [*chosen, o] if o else chosen, unknown) for v, o in found]
        combos = grown
    known = [c for c in combos if not c[2]]
    paths = []
    for values, _chosen, _unknown in known[:n] if known else combos[:1]:
        path = build_path(pattern, values)
        try:
            match = resolve(path)
        except Resolver404:
            match = None
        if match is None or match.func != pattern.callback:
            return [], f"{path} is answered by another pattern: not crawled"
        paths.append(path)
    return paths, "" if known else why


def enrich() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from clea.absences.services import request_absence
    from clea.accounts.models import User
    from clea.candidates.models import Invitation, hash_token
    from clea.candidates.services import activate
    from clea.certificates import services as certificates
    from clea.demo import data as demo
    from clea.dossiers.models import Dossier
    from clea.dossiers.services import request_transfer
    from clea.jury import services as jury
    from clea.jury.models import College
    from clea.organisations.models import Organisation
    from clea.referrals.services import send_referral

    if "crawl" not in connection.settings_dict["NAME"]:
        sys.exit("enrich: only on a crawl database (its name contains 'crawl')")
    today, nine = timezone.localdate(), datetime.time(9)
    user = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@demo.clea.fr")}
    named = {o.name: o for o in Organisation.objects.all()}
    dossiers = {d.state: d for d in Dossier.objects.select_related("candidate", "referentiel_version__profile")}
    awarded, employee = dossiers["awaiting_jury"], dossiers["training"]
    region = awarded.evaluator_organisation.commune.departement.region
    seats = awarded.referentiel_version.profile.jury_min_members_per_college
    with transaction.atomic():
        for date in (today + datetime.timedelta(days=30), today):  # an open session, then the closed one
            session = jury.create_session(
                organiser=named[demo.JURY],
                date=date,
                start=nine,
                place="Rennes",
                remote=False,
                region=region,
                certifications=[awarded.certification],
                by=user["jury"],
            )
            for college, number in itertools.product(College.values, range(seats)):
                jury.add_member(session, full_name=f"Membre {number + 1} ({college})", college=college)
        jury.record_attendance(session, present_ids=set(session.members.values_list("pk", flat=True)), by=user["jury"])
        (entry,) = jury.put_on_session(session, [awarded], by=user["jury"])
        jury.decide(entry, outcome="awarded", reasons="", votes_for=2 * seats, by=user["jury"])
        jury.close_session(session, by=user["jury"])
        issued = certificates.issue_for_session(session, by=user["certificateur"])
        certificates.create_mailing_batch(issued, by=user["certificateur"])
        certificates.export_to_cpf(by=user["certificateur"])
        person = {"birth_name": "Orientée", "first_names": "Camille", "birth_date": datetime.date(1990, 5, 17)}
        send_referral(
            prescriber=named[demo.PRESCRIBER],
            adviser=user["prescripteur"],
            evaluator_organisation=named[demo.EVALUATOR],
            certification=awarded.certification,
            person=person,
            candidate_status="job_seeker",
            consent=True,
            share_results=True,
            note="",
            today=today,
        )
        identity = {f: getattr(employee.candidate, f) for f in ("birth_name", "first_names", "birth_date")}
        request_transfer(
            organisation=named[demo.EVALUATOR_2],
            certification=employee.certification,
            candidate_identity=identity,
            reason="La personne a déménagé.",
            by=user["evaluateur2"],
        )
        start = today + datetime.timedelta(days=60)
        request_absence(
            employee, requested_on=today, start_date=start, end_date=start, hours=7, by=user["evaluateur"], today=today
        )
        for candidate, token in ((awarded.candidate, "crawl-activated"), (employee.candidate, INVITATION_TOKEN)):
            expires_at = timezone.now() + datetime.timedelta(days=7)
            Invitation.objects.create(
                candidate=candidate, token_hash=hash_token(token), created_by=user["evaluateur"], expires_at=expires_at
            )
        account = activate("crawl-activated", password=demo.DEMO_PASSWORD)
    print(f"enrich: 2 jury sessions, {len(issued)} certificate(s), 1 referral, 1 transfer, 1 absence, {account.email}")


@dataclass
class Answer:
    status: int  # 0: no answer
    body: bytes = b""
    content_type: str = ""
    location: str = ""
    server: str = ""
    error: str = ""


class Client:
    """One browser: its cookies, on a loopback server, seen through the HTTPS proxy."""

    def __init__(self, base_url: str, timeout: float):
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.origin = f"https://{parts.netloc}"
        self.cookies: dict[str, str] = {}

    def get(self, path: str, form: dict | None = None, proxy: bool = True) -> Answer:
        headers = {"Host": f"{self.host}:{self.port}", "Accept": "text/html,*/*", "User-Agent": "clea-crawl"}
        if proxy:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:  # the login form only
            body = urllib.parse.urlencode(form)
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin}
            headers["Referer"] = self.origin + path
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request("GET" if form is None else "POST", path, body, headers)
            response = connection.getresponse()
            answer = Answer(response.status, response.read(), response.getheader("Content-Type", ""))
        except (OSError, http.client.HTTPException) as error:
            return Answer(0, error=f"{type(error).__name__}: {error}")
        finally:
            connection.close()
        answer.location = response.getheader("Location", "")
        answer.server = response.getheader("Server", "")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return answer

    def login(self, path: str, email: str, password: str) -> str:
        """Logs in through the form; returns what went wrong, or ""."""
        page = self.get(path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        if page.status != 200 or not token:
            return f"login page answered {page.status or page.error} without a CSRF token"
        answer = self.get(path, {"csrfmiddlewaretoken": token[1].decode(), "username": email, "password": password})
        if answer.status != 302 or "sessionid" not in self.cookies:
            return f"login answered {answer.status or answer.error}, not a redirect with a session"
        # The login answers with the dashboard; a role that needs a second factor is sent on from there.
        probe = self.get(answer.location or "/")
        if probe.status == 302 and "/double-authentification/" in probe.location:
            return self.second_factor(email)
        return ""

    def second_factor(self, email: str) -> str:
        """A role that must use a second factor types the code of its application (the crawl's own)."""
        from django.urls import reverse

        verify = reverse("accounts:second_factor_verify")
        code = crawl_device_code(email)
        page = self.get(verify)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        if page.status != 200 or not token:
            return f"second factor page answered {page.status or page.error} without a CSRF token"
        answer = self.get(verify, {"csrfmiddlewaretoken": token[1].decode(), "code": code, "next": "/"})
        if answer.status != 302 or "/double-authentification/" in answer.location:
            return f"second factor answered {answer.status or answer.error} ({answer.location}), not the way on"
        return ""


def crawl_device_code(email: str) -> str:
    """The code a confirmed TOTP device of the person shows now (the crawl gives itself one if needed)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from clea.accounts.models import User

    user = User.objects.get(email=email)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Robot du crawl", confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(totp.token()).zfill(device.digits)


class Assets(HTMLParser):
    """The stylesheets and scripts a page makes the browser fetch."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split() and attrs.get("href"):
            self.found.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.found.append(attrs["src"])


@dataclass
class Report:
    statuses: dict = field(default_factory=dict)  # role -> Counter
    assets: dict = field(default_factory=dict)  # stylesheet or script path -> status
    failures: list = field(default_factory=list)
    served: set = field(default_factory=set)  # the patterns that answered 200 to some account


def crawl_role(args, role: str, password: str, paths: list[tuple[str, str]], report: Report) -> None:
    from django.conf import settings
    from django.urls import reverse

    client = Client(args.base_url, args.timeout)
    statuses = report.statuses.setdefault(role, collections.Counter())
    if role != "anonymous":
        problem = client.login(reverse(settings.LOGIN_URL), role, password)
        if problem:
            report.failures.append(f"{role}: {problem}")
            return
    for route, path in paths:
        answer = client.get(path)
        statuses[answer.status] += 1
        if answer.status == 200:
            report.served.add(route)
        if not 0 < answer.status < 500:
            report.failures.append(f"{role}: GET {path} -> {answer.status or answer.error}")
        elif answer.status == 200 and answer.content_type.startswith("text/html"):
            parser = Assets()
            parser.feed(answer.body.decode("utf-8", "replace"))
            for href in parser.found:
                asset = urllib.parse.urlsplit(urllib.parse.urljoin(path, href))
                if asset.netloc and asset.netloc != f"{client.host}:{client.port}":
                    report.failures.append(f"{role}: {href} (on {path}) is not served by the platform")
                asset_path = asset.path + (f"?{asset.query}" if asset.query else "")
                if asset_path not in report.assets:
                    report.assets[asset_path] = client.get(asset_path).status
                    if report.assets[asset_path] != 200:
                        report.failures.append(f"{role}: {asset_path} (on {path}) -> {report.assets[asset_path]}")
    if role != "anonymous" and client.get(reverse("accounts:profile")).status != 200:
        report.failures.append(f"{role}: session lost during the crawl")


def crawl(args) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connections

    from clea.candidates.models import CandidateAccount
    from clea.demo.data import ACCOUNTS, DEMO_PASSWORD, STAFF_ACCOUNT

    started = time.monotonic()
    client = Client(args.base_url, args.timeout)
    for _ in range(int(args.startup * 4)):  # the server is starting
        if client.get("/").status:
            break
        time.sleep(0.25)
    report = Report()
    plain = client.get("/", proxy=False)
    home = client.get("/")
    if re.search(r"\d", home.server):  # "gunicorn" names the software; a version would help an attacker
        report.failures.append(f"GET / -> Server header names a version: {home.server!r}")
    if settings.SECURE_SSL_REDIRECT and not (plain.status == 301 and plain.location.startswith("https://")):
        report.failures.append(f"plain HTTP GET / -> {plain.status} {plain.location}, not a redirect to HTTPS")

    patterns = sorted(list_patterns(), key=lambda p: "deconnexion" in p.route)  # log out last
    users = get_user_model().objects
    emails = [a.email for a in [*ACCOUNTS, STAFF_ACCOUNT]]
    emails += CandidateAccount.objects.order_by("pk").values_list("user__email", flat=True)  # from enrich
    roles = [("anonymous", None)] + [(email, users.filter(email=email).first()) for email in emails]
    plan, filled, unknown = [], set(), {}
    for role, user in roles:
        if role != "anonymous" and user is None:
            report.failures.append(f"{role}: not in the demo data")
            continue
        paths = []
        for pattern in patterns:
            if user is None or user.is_staff or not pattern.route.startswith("admin/"):  # else: the admin's login
                found, why = targets(pattern, user, args.per_pattern)
                paths += [(pattern.route, path) for path in found]
                if why:
                    unknown.setdefault(pattern.route, why)
                else:
                    filled.add(pattern.route)
        plan.append((role, paths))
    unknown = {route: why for route, why in unknown.items() if route not in filled}
    connections.close_all()
    with ThreadPoolExecutor(args.jobs) as pool:
        for future in [pool.submit(crawl_role, args, role, DEMO_PASSWORD, paths, report) for role, paths in plan]:
            future.result()
    asset_statuses = collections.Counter(report.assets.values())

    total = collections.Counter()
    for counter in report.statuses.values():
        total.update(counter)
    print(f"\n== Production crawl of {args.base_url} ({settings.SETTINGS_MODULE}), {time.monotonic() - started:.0f}s")
    print(
        f"URL patterns  {len(patterns)}: {len(report.served)} answered 200 to some account; "
        f"{len(unknown)} have a parameter no demo object fills (below)"
    )
    print(f"roles         {len(plan)}: anonymous + {len(plan) - 1} demo accounts")
    print(f"URLs fetched  {total.total()} pages + {len(report.assets)} stylesheets/scripts")
    print("statuses      " + ", ".join(f"{s or 'no answer'}: {c}" for s, c in sorted(total.items())))
    print("assets        " + ", ".join(f"{s or 'no answer'}: {c}" for s, c in sorted(asset_statuses.items())))
    for role, counter in report.statuses.items():
        print(f"  {role:32} " + ", ".join(f"{s}: {c}" for s, c in sorted(counter.items())))
    print("unknown values (these pages are only seen answering 4xx):")
    for route, why in sorted(unknown.items()):
        print(f"  {route}  ({why})")
    if report.failures:
        print(f"FAILURES ({len(report.failures)}):\n  " + "\n  ".join(report.failures))
        return 1
    print("no failure")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("enrich", help="take the demo data further along the path (crawl database only)")
    run = commands.add_parser("crawl", help="crawl a running server")
    run.add_argument("base_url", help="the loopback server, e.g. http://127.0.0.1:8123")
    run.add_argument("--per-pattern", type=int, default=3, help="URLs per pattern and account (objects)")
    run.add_argument("--jobs", type=int, default=4, help="accounts crawled in parallel")
    run.add_argument("--timeout", type=float, default=60, help="seconds per request")
    run.add_argument("--startup", type=float, default=60, help="seconds to wait for the server")
    args = parser.parse_args()
    if args.command == "enrich":
        enrich()
        return 0
    return crawl(args)


if __name__ == "__main__":
    sys.exit(main())
