"""Who asks and what: accounts, sessions created without passwords, and the pages picked in the database.

Needs Django set up (the bench process runs the production settings against the bench database).
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING
from urllib.parse import urlencode

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from clea.accounts.models import User
    from clea.dossiers.models import Dossier
    from clea.evaluations.models import Evaluation
    from clea.organisations.models import Organisation

SEED_ACCOUNTS = {"evaluator": "bench.evaluateur@seed.invalid", "jury": "bench.jury@seed.invalid"}
DEMO_ACCOUNTS = {"evaluator": "evaluateur@demo.clea.fr", "jury": "jury@demo.clea.fr"}
UNKNOWN_CODE = "ZZZZZZZZZZZZ"  # the verification answers 200 "inconnu" by the same path (demo without certificate)
GRID_EVALUATIONS = 60  # open préalables whose cells the grid save uses (106 cells each)


@dataclass
class Identity:
    """Cookies and headers of one client: a Django session (and its CSRF secret) or an API token."""

    cookies: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def http_headers(self) -> dict[str, str]:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {**self.headers, **({"Cookie": cookie} if cookie else {})}


@dataclass
class Page:
    key: str
    label: str
    path: str
    identity: Identity = field(default_factory=Identity)
    method: str = "GET"
    expect: int = 200
    marker: str | None = None  # text the answer body must contain
    vary_ip: bool = False  # a distinct client per request (rate-limited public page)
    pool: list[tuple[str, str]] = field(default_factory=list)  # (path, body), each sent once (grid save)
    written: Callable[[], int] | None = None  # rows the requests write, counted before and after
    missing: str | None = None  # why the page could not be picked in this database

    def take(self, count: int) -> list[tuple[str, str]]:
        taken, self.pool = self.pool[:count], self.pool[count:]
        return taken


@dataclass
class Actors:
    evaluator: User
    evaluator_org: Organisation
    jury: User
    jury_org: Organisation


def account_emails(demo: bool) -> dict[str, str]:
    if demo:
        return DEMO_ACCOUNTS
    try:
        from clea.demo.national import BENCH_ACCOUNTS
    except ImportError:
        return SEED_ACCOUNTS
    return {role: str(BENCH_ACCOUNTS.get(role, default)) for role, default in SEED_ACCOUNTS.items()}


def organisation_of(user: User, role: str) -> Organisation:
    from clea.organisations.models import Membership

    membership = (
        Membership.objects.active().filter(user=user, role=role).select_related("organisation").order_by("pk").first()
    )
    if membership is None:
        raise RuntimeError(f"{user} n'a pas le rôle {role} dans une structure active.")
    return membership.organisation


def actors(demo: bool) -> Actors:
    from clea.accounts.models import User
    from clea.organisations.models import Role

    emails = account_emails(demo)
    evaluator = User.objects.get(email=emails["evaluator"])
    jury = User.objects.get(email=emails["jury"])
    return Actors(
        evaluator, organisation_of(evaluator, Role.EVALUATOR), jury, organisation_of(jury, Role.JURY_ORGANISER)
    )


def csrf_secret() -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


def _second_factor(user: User) -> dict:
    """A role that must use a second factor: the session as after its code (the bench's own device)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from clea.accounts import second_factor

    if not second_factor.required_for(type(user).objects.get(pk=user.pk)):
        return {}
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="Banc d'essai", confirmed=True)
    return {DEVICE_ID_SESSION_KEY: device.persistent_id}


def session_identity(user: User, organisation: Organisation, extra: dict | None = None) -> Identity:
    """A session as django.contrib.auth.login leaves it, acting for ``organisation``."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from clea.organisations.current import SESSION_KEY as CURRENT_ORGANISATION

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[CURRENT_ORGANISATION] = str(organisation.public_id)
    store.update(extra or {})
    store.update(_second_factor(user))
    store.create()
    cookies = {settings.SESSION_COOKIE_NAME: store.session_key, settings.CSRF_COOKIE_NAME: csrf_secret()}
    return Identity(cookies=cookies)


def token_identity(user: User) -> Identity:
    import datetime

    from django.utils import timezone

    from clea.api.models import Scope
    from clea.api.tokens import issue_token

    today = timezone.localdate()
    organisation = user.memberships.filter(is_active=True).order_by("pk").first().organisation
    _, raw = issue_token(
        user,
        organisation=organisation,
        name="Banc d'essai",
        scope=Scope.READ,
        expires_on=today + datetime.timedelta(days=1),
        today=today,
    )
    return Identity(headers={"Authorization": f"Token {raw}", "Accept": "application/json"})


def filters(**values: str) -> dict:
    from clea.dossiers.views import FILTERS_SESSION_KEY

    return {FILTERS_SESSION_KEY: {"q": "", "state": "", "certification": "", "evaluator": "", **values}}


# --- the pages ---------------------------------------------------------------------------------------


def org_dossiers(organisation: Organisation) -> QuerySet[Dossier]:
    from clea.dossiers.models import Dossier

    return Dossier.objects.filter(evaluator_organisation=organisation)


def most_common(organisation: Organisation, field_name: str) -> str | None:
    from django.db.models import Count

    row = org_dossiers(organisation).values(field_name).annotate(n=Count("id")).order_by("-n", field_name).first()
    return str(row[field_name]) if row else None


def trivial_page(identity: Identity | None = None) -> Page:
    from django.urls import reverse

    return Page("trivial", "Page triviale /accessibilite/", reverse("pages:accessibility"), identity or Identity())


def health_page() -> Page:
    from django.urls import reverse

    return Page("health", "Santé /sante/", reverse("pages:health"), marker='"status": "ok"')


def list_pages(actor: Actors) -> list[Page]:
    from django.urls import reverse

    from clea.dossiers.workflow import STATE_LABELS, State

    url = reverse("dossiers:list")
    state = most_common(actor.evaluator_org, "state")
    name = most_common(actor.evaluator_org, "candidate__birth_name")
    pages = [Page("list", "Liste des dossiers, page 1", url, session_identity(actor.evaluator, actor.evaluator_org))]
    if state is None or name is None:
        missing = "aucun dossier dans l'organisme"
        return [
            *pages,
            Page("list_state", "Liste filtrée par état", url, missing=missing),
            Page("list_name", "Liste filtrée par nom", url, missing=missing),
        ]
    by_state = session_identity(actor.evaluator, actor.evaluator_org, filters(state=state))
    by_name = session_identity(actor.evaluator, actor.evaluator_org, filters(q=name))
    label = STATE_LABELS.get(State(state), state)
    return [
        *pages,
        Page("list_state", f"Liste filtrée par état ({label})", url, by_state),
        Page("list_name", f"Liste filtrée par nom ({name})", url, by_name, marker=name),
    ]


def api_page(actor: Actors) -> Page:
    from django.urls import reverse

    return Page(
        "api",
        "API GET /api/v1/dossiers/",
        reverse("api:dossier-list"),
        token_identity(actor.evaluator),
        marker='"results"',
    )


def dossier_page(actor: Actors) -> Page:
    from django.db.models import Count
    from django.urls import reverse

    dossier = (
        org_dossiers(actor.evaluator_org)
        .select_related("candidate")
        .annotate(n=Count("events"))
        .order_by("-n", "pk")
        .first()
    )
    label = "Page d'un dossier"
    if dossier is None:
        return Page("dossier", label, "", missing="aucun dossier dans l'organisme")
    identity = session_identity(actor.evaluator, actor.evaluator_org)
    return Page(
        "dossier",
        f"{label} ({dossier.n} événements)",
        reverse("dossiers:detail", args=[dossier.public_id]),
        identity,
        marker=dossier.candidate.birth_name,
    )


def open_prealables(actor: Actors) -> QuerySet[Evaluation]:
    from clea.evaluations.models import Evaluation, EvaluationKind
    from clea.evaluations.services import IN_EVALUATION

    return (
        Evaluation.objects.filter(
            kind=EvaluationKind.INITIAL,
            closed_at__isnull=True,
            dossier__evaluator_organisation=actor.evaluator_org,
            dossier__state__in=[str(s) for s in IN_EVALUATION],
        )
        .select_related("dossier")
        .order_by("pk")
    )


def grid_page(actor: Actors, evaluation: Evaluation | None) -> Page:
    from django.urls import reverse

    label = "Grille de l'évaluation préalable (GET)"
    if evaluation is None:
        return Page("grid", label, "", missing="aucune évaluation préalable ouverte dans l'organisme")
    url = reverse("evaluations:grid", args=[evaluation.dossier.public_id, evaluation.public_id])
    return Page("grid", label, url, session_identity(actor.evaluator, actor.evaluator_org), marker="critere-")


def cells_of(evaluation: Evaluation) -> list[tuple[int, str, str]]:
    """(position, path, body) of every cell of the grid, each changing the cell's current judgement."""
    from django.urls import reverse

    from clea.evaluations.services import current_revisions

    current = current_revisions(evaluation)
    cells = []
    scope = evaluation.scope.order_by("subdomain__domain__position", "subdomain__position", "position")
    for position, criterion in enumerate(scope):
        latest = current.get(criterion.pk)
        judgement = "not_acquired" if latest and latest.judgement == "acquired" else "acquired"
        body = {
            "revision": str(latest.pk) if latest else "",
            "judgement": judgement,
            f"c-{criterion.code}": latest.comment if latest else "",
        }
        path = reverse(
            "evaluations:grid_cell",
            args=[evaluation.dossier.public_id, evaluation.public_id, criterion.code],
        )
        cells.append((position, path, urlencode(body)))
    return cells


def grid_save_page(actor: Actors, evaluations: list[Evaluation]) -> Page:
    """Cells of many open préalables, interleaved: consecutive saves land on different grids."""
    from clea.evaluations.models import CriterionJudgement

    label = "Enregistrement d'une cellule (POST htmx)"
    if not evaluations:
        return Page("grid_save", label, "", method="POST", missing="aucune évaluation préalable ouverte")
    cells = sorted(
        (position, index, path, body)
        for index, evaluation in enumerate(evaluations)
        for position, path, body in cells_of(evaluation)
    )
    identity = session_identity(actor.evaluator, actor.evaluator_org)
    identity.headers.update(
        {
            "HX-Request": "true",
            "X-CSRFToken": identity.cookies["csrftoken"],
            "Content-Type": "application/x-www-form-urlencoded",
        }
    )
    ids = [e.pk for e in evaluations]
    return Page(
        "grid_save",
        f"{label}, {len(evaluations)} grilles",
        cells[0][2],
        identity,
        method="POST",
        marker="Enregistr",
        pool=[(path, body) for _, _, path, body in cells],
        written=lambda: CriterionJudgement.objects.filter(evaluation_id__in=ids).count(),
    )


def jury_page(actor: Actors) -> Page:
    from django.db.models import Count
    from django.urls import reverse

    from clea.jury.models import JurySession, SessionStatus

    session = (
        JurySession.objects.filter(organiser=actor.jury_org, status=SessionStatus.PLANNED)
        .annotate(n=Count("entries"))
        .order_by("-n", "date", "pk")
        .first()
    )
    label = "Session de jury prévue"
    if session is None:
        return Page("jury", label, "", missing="aucune session prévue chez l'organisateur")
    return Page(
        "jury",
        f"{label} ({session.n} dossiers)",
        reverse("jury:detail", args=[session.public_id]),
        session_identity(actor.jury, actor.jury_org),
    )


def directory_page() -> Page:
    from django.urls import reverse

    from clea.geography.models import Commune

    city = Commune.objects.filter(parent__isnull=True).order_by("-population").first()
    postcode = city.postcodes.order_by("code").values_list("code", flat=True).first() if city else None
    if city is None or postcode is None:
        return Page("directory", "Annuaire public", "", missing="géographie absente")
    path = f"{reverse('directory:search')}?{urlencode({'lieu': postcode})}"
    return Page("directory", f"Annuaire public, {city.name} ({postcode})", path)


def verification_page() -> Page:
    from django.urls import reverse

    from clea.certificates.models import Certificate

    certificate = Certificate.objects.filter(revoked_at__isnull=True).order_by("pk").first()
    code = certificate.verification_code if certificate else UNKNOWN_CODE
    label = "Vérification d'un certificat" + ("" if certificate else " (code inconnu : aucun certificat)")
    return Page(
        "verification",
        label,
        reverse("verification:result", args=[code]),
        marker="Certificat valide" if certificate else None,
        vary_ip=True,
    )


def pages(demo: bool) -> list[Page]:
    """Every measured page, picked in the database as it is now (after seeding)."""
    actor = actors(demo)
    prealables = list(open_prealables(actor)[: GRID_EVALUATIONS + 1])
    grid_evaluation = prealables[0] if prealables else None
    return [
        trivial_page(),
        health_page(),
        *list_pages(actor),
        api_page(actor),
        dossier_page(actor),
        grid_page(actor, grid_evaluation),
        grid_save_page(actor, prealables[1:]),
        jury_page(actor),
        directory_page(),
        verification_page(),
    ]
