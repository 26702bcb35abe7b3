"""The permission matrix, generated from the URL resolver: every named URL of the site and of the API,
for every person of the cast (tests/cast.py), on GET.

``MATRIX`` says what each person gets. A URL added to the resolver without a row fails
``test_every_url_has_a_row``, and a row whose URL is gone fails ``test_every_row_names_a_url``: the
matrix cannot fall behind the code. The URL's ids come from the cast (``KWARGS``): a dossier of the
evaluator organisation (Léa Durand's, in training, referred by the prescriber, employee of the bakery),
its préalable and training path, and a second dossier awarded by the jury organisation's session, with
its certificate, print run and CPF declaration.

A URL that refuses GET (a form target or an API action) answers 405 to everyone logged in; its row also
says what its own method (POST, PUT) answers with an empty body: the checks of who may act run before
the body is read, so invisible is 404, visible but not allowed is 403, and the allowed get the form's
or the service's answer (302, 400, 409…). Each case runs in its own savepoint: what it writes is gone
for the next.

The expected answers are the product's: the evaluator organisation works on its dossiers, the trainer
and the certifier see them (403 to act), an outsider gets 404 on others' objects; logged out, a page
sends to the login page (302) and the API answers 401. A known bug is a strict xfail in ``BUGS``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from clea.accounts.middleware import OPEN as SECOND_FACTOR_OPEN
from clea.api.models import Scope
from clea.api.tokens import issue_token
from clea.meetings import slots
from clea.meetings.links import token_for
from clea.privacy import requests as privacy
from clea.referentiel.models import ReferentielVersion, VersionStatus
from clea.referentiel.services import load_shipped_referentiels
from tests.cast import ROLES, WORKERS, Cast
from tests.clock import NOW

pytestmark = pytest.mark.django_db

# Not in the matrix: Django's admin checks its own staff flag (no one of the cast is staff: see
# ``test_the_admin_is_for_staff_only``) and its patterns are generated from the registered models.
EXCLUDED_NAMESPACES = {"admin"}


def named_urls(resolver: URLResolver | None = None, namespace: str = "") -> dict[str, URLPattern]:
    """Every named pattern the resolver reaches, by its qualified name (``namespace:name``)."""
    found: dict[str, URLPattern] = {}
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            if (inner or "").split(":")[0] in EXCLUDED_NAMESPACES:
                continue
            found.update(named_urls(pattern, inner or namespace))
        elif pattern.name:
            found[f"{namespace}:{pattern.name}" if namespace else pattern.name] = pattern
    return found


def _ids(**spec):
    """URL kwargs from the cast: a string names a cast object (its ``public_id`` goes in the URL), a
    callable is called with the cast, anything else goes in as it is."""

    def kwargs(cast: Cast) -> dict:
        return {
            key: getattr(cast, value).public_id
            if isinstance(value, str)
            else (value(cast) if callable(value) else value)
            for key, value in spec.items()
        }

    return kwargs


def _suspension(cast: Cast):
    from clea.organisations.models import Suspension

    return Suspension.objects.get_or_create(
        habilitation=cast.habilitation,
        defaults={"starts_on": NOW.date(), "reason": "Audit en cours", "created_by": cast.certifier},
    )[0]


def _password_reset(cast: Cast) -> dict:
    user = type(cast.evaluator).objects.get(pk=cast.evaluator.pk)
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}


ORGANISATION = _ids(public_id="organisation")
DOSSIER = _ids(public_id="dossier")
EVALUATION = _ids(public_id="dossier", evaluation_id="evaluation")
VERSION = _ids(public_id="referentiel_version")
SESSION = _ids(public_id="jury_session")
STATEMENT = _ids(public_id="organisation", year=NOW.year, month=NOW.month)

KWARGS = {
    "accounts:password_reset_confirm": _password_reset,
    "notifications:digest": ORGANISATION,
    **dict.fromkeys(
        [f"referentiel:{n}" for n in ("detail", "export_json", "export_csv", "activate", "archive", "delete")], VERSION
    ),
    **dict.fromkeys(
        [f"organisations:{n}" for n in ("detail", "edit", "habilitation_create", "member_add")], ORGANISATION
    ),
    "quality:withdraw": _ids(public_id="habilitation"),
    "quality:suspend": _ids(public_id="habilitation"),
    "quality:lift": _ids(public_id=lambda c: _suspension(c).public_id),
    **dict.fromkeys(["campaigns:detail", "campaigns:apply"], _ids(public_id="campaign")),
    **dict.fromkeys(
        [
            f"campaigns:{n}"
            for n in (
                "application",
                "regions",
                "establishment_add",
                "document_upload",
                "submit",
                "request_more",
                "decide",
            )
        ],
        _ids(public_id="application"),
    ),
    "campaigns:establishment_remove": _ids(
        public_id="application", establishment_id=lambda c: c.application.establishments.get().public_id
    ),
    "campaigns:document": _ids(public_id="application_document"),
    "campaigns:document_check": _ids(public_id="application_document"),
    "quality:audit": _ids(public_id=lambda c: c.audited.audit.public_id),
    **dict.fromkeys(["quality:audited", "quality:audit_send", "quality:audit_conclude"], _ids(public_id="audited")),
    "quality:audit_answer": _ids(public_id="audited_dossier"),
    "quality:audit_document": _ids(public_id="audit_document"),
    "accounts:second_factor_reset": _ids(public_id="evaluator"),
    "organisations:member_remove": _ids(
        public_id="organisation", membership_id=lambda c: c.colleague.memberships.get().public_id
    ),
    **dict.fromkeys([f"dossiers:{n}" for n in ("detail", "meeting", "withdraw", "close", "submit")], DOSSIER),
    "dossiers:transfer_answer": _ids(public_id="dossier", transfer_id="transfer_request"),
    "evaluations:results": DOSSIER,
    "evaluations:results_pdf": DOSSIER,
    "evaluations:start": _ids(public_id="dossier", kind=lambda c: "finale"),
    "evaluations:grid": EVALUATION,
    "evaluations:grid_cell": _ids(public_id="dossier", evaluation_id="evaluation", code=lambda c: "1.1.1"),
    "evaluations:sitting_create": EVALUATION,
    "evaluations:close": EVALUATION,
    "training:path_create": DOSSIER,
    "training:progress_create": _ids(public_id="dossier", path_id="training_path"),
    "funding:statement": STATEMENT,
    "funding:statement_csv": STATEMENT,
    "funding:statement_pdf": STATEMENT,
    "funding:create": DOSSIER,
    "absences:answer": _ids(public_id="absence_request"),
    "absences:employer_funding": DOSSIER,
    "absences:employer_funding_edit": _ids(public_id="funding_line"),
    "api:dossier-employer-funding-lines": _ids(id="dossier"),
    "api:employer-funding-line-detail": _ids(id="funding_line"),
    **dict.fromkeys(["privacy:withdraw_consent", "privacy:erasure", "privacy:keep"], DOSSIER),
    "privacy:handle": _ids(public_id="privacy_request"),
    "tokens:revoke": _ids(public_id="api_token"),
    "dossiers:employer_involve": DOSSIER,
    "meetings:create": _ids(public_id=lambda c: (c.habilitation, c.organisation)[1].public_id),
    "meetings:propose": _ids(public_id="meeting_request"),
    "meetings:close": _ids(public_id="meeting_request"),
    "meetings:book": _ids(public_id="meeting_request"),
    **dict.fromkeys(
        [f"meetings:slot_{n}" for n in ("detail", "cancel", "delete", "attendance")], _ids(public_id="meeting_slot")
    ),
    "meetings:person": _ids(token=lambda c: token_for(c.meeting_request.public_id)),
    "meetings:person_cancel": _ids(token=lambda c: token_for(c.meeting_request.public_id)),
    "dossiers:employer_end": DOSSIER,
    "absences:create": DOSSIER,
    "candidates:activate": _ids(token=lambda c: c.invitation_token),
    "candidates:activate_franceconnect": _ids(token=lambda c: c.invitation_token),
    "accounts:identity_unlink": _ids(provider=lambda c: "proconnect"),
    **dict.fromkeys(
        [f"candidates:{n}" for n in ("results_pdf", "certificate_pdf", "skills_record_pdf", "share_results", "invite")],
        DOSSIER,
    ),
    "referrals:decline": _ids(public_id="referral"),
    **dict.fromkeys(
        [
            f"jury:{n}"
            for n in ("detail", "member_add", "attendance", "put_on_session", "award_clean", "close", "minutes")
        ],
        SESSION,
    ),
    "jury:decide": _ids(public_id="jury_session", entry_id="session_entry"),
    "certificates:session_issue": SESSION,
    **dict.fromkeys([f"certificates:batch_{n}" for n in ("detail", "pdf", "sent")], _ids(public_id="mailing_batch")),
    **dict.fromkeys(
        [f"certificates:mailing_{n}" for n in ("sent", "returned", "resend", "pdf")], _ids(public_id="mailing")
    ),
    "certificates:cpf_export_download": _ids(public_id="cpf_export"),
    "certificates:skills_record": DOSSIER,
    **dict.fromkeys(
        [f"certificates:{n}" for n in ("detail", "pdf", "duplicate", "revoke")], _ids(public_id="certificate")
    ),
    "verification:result": _ids(code=lambda c: c.certificate.verification_code),
    "directory:detail": ORGANISATION,
    "api:referentiel-detail": _ids(code=lambda c: "CLEA"),
    **dict.fromkeys(
        [
            f"api:dossier-{n}"
            for n in (
                "detail",
                "meetings",
                "evaluations",
                "training-paths",
                "funding-lines",
                "absence-requests",
                "submit",
                "withdraw",
                "close",
            )
        ],
        _ids(id="dossier"),
    ),
    **dict.fromkeys(
        [f"api:evaluation-{n}" for n in ("sittings", "grid", "results", "corrections", "close")], _ids(id="evaluation")
    ),
    "api:training-path-progress": _ids(id="training_path"),
    "api:transfer-request-answer": _ids(id="transfer_request"),
    "api:referral-accept": _ids(id="referral"),
    "api:referral-decline": _ids(id="referral"),
    "api:absence-request-answer": _ids(id="absence_request"),
    **dict.fromkeys(
        [
            f"api:jury-session-{n}"
            for n in ("detail", "members", "attendance", "dossiers", "award-clean", "close", "minutes", "certificates")
        ],
        _ids(id="jury_session"),
    ),
    "api:jury-session-decision": _ids(id="jury_session", entry_id="session_entry"),
    **dict.fromkeys([f"api:certificate-{n}" for n in ("detail", "pdf", "duplicate", "revoke")], _ids(id="certificate")),
    **dict.fromkeys([f"api:mailing-batch-{n}" for n in ("detail", "pdf", "sent")], _ids(id="mailing_batch")),
    **dict.fromkeys([f"api:mailing-{n}" for n in ("returned", "resend", "pdf")], _ids(id="mailing")),
    "api:cpf-export-xml": _ids(id="cpf_export"),
    "api:verification": _ids(code=lambda c: c.certificate.verification_code),
    "api:directory-detail": _ids(id="organisation"),
}

# Everything the cast can be attached to, built once for the module (see ``world``).
_BUILT = (
    "employer",
    "jury_organiser",
    "dossier",
    "evaluation",
    "training_path",
    "funding_line",
    "absence_request",
    "transfer_request",
    "candidate",
    "invitation_token",
    "jury_session",
    "session_entry",
    "certificate",
    "mailing_batch",
    "mailing",
    "cpf_export",
    "meeting_request",
    "referentiel_version",
    "application_document",
    "audit_document",
)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, geography):
    """The whole cast and everything it is attached to, built once for this module's many cases inside a
    transaction that is rolled back when the module ends; each case runs in a savepoint of it (the
    ``db`` fixture), so what one case writes, the next does not see."""
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=True):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_shipped_referentiels(Path(settings.REFERENTIELS_DIR))
            referentiels = {
                v.certification.code: v
                for v in ReferentielVersion.objects.filter(status=VersionStatus.ACTIVE).select_related("certification")
            }
            cast = Cast({"referentiels": referentiels, "geography": None}.__getitem__)
            for name in _BUILT:
                getattr(cast, name)
            _book_a_meeting_slot(cast)
            _ask_and_issue(cast)
            yield cast
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _book_a_meeting_slot(cast: Cast) -> None:
    """A collective information meeting of the evaluator organisation in three days, on which Karim's
    request is booked (``cast.meeting_slot``: tests/cast.py has no slot)."""
    slot = slots.publish_slot(
        organisation=cast.organisation,
        starts_at=NOW + datetime.timedelta(days=3),
        duration_minutes=60,
        kind="collective",
        capacity=6,
        remote=False,
        place="2 rue de Paris, 35000 Rennes",
        link="",
        certification=None,
        by=cast.evaluator,
    )
    slots.book(cast.meeting_request, slot, by=cast.evaluator)
    cast.meeting_slot = slot


def _ask_and_issue(cast: Cast) -> None:
    """Léa asks for the erasure of her data (``cast.privacy_request``); the evaluator has an API token
    (``cast.api_token``). Neither changes what the other cases see of the dossier."""
    cast.privacy_request = privacy.request_erasure(cast.dossier, by=cast.candidate)
    cast.api_token, _ = issue_token(
        cast.evaluator,
        organisation=cast.organisation,
        name="Outil",
        scope=Scope.READ,
        expires_on=NOW.date() + datetime.timedelta(days=30),
        today=NOW.date(),
    )


# --- the table ------------------------------------------------------------------------------------------

LOGIN = "login"  # logged out: 302 to the login page on the site, 401 on the API

CERTIFIER = frozenset({"certifier"})
EVALUATOR_ORGS = WORKERS | {"outsider"}  # members of an evaluator organisation (they open dossiers)
SEES_ORGANISATION = WORKERS | CERTIFIER  # the cast's evaluator organisation
MANAGES_ORGANISATION = frozenset({"org_admin", "certifier"})
SEES_DOSSIER = WORKERS | {"trainer", "certifier"}  # Léa's dossier: the trainer has a path on it
SEES_SESSION = frozenset({"jury_member", "jury_organiser", "certifier"})  # the jury organisation's session
SEES_FEES = frozenset({"org_admin", "outsider", "certifier"})  # administrators of evaluator organisations
APPLIES = frozenset({"org_admin", "outsider"})  # administrators of evaluator organisations
SECOND_FACTOR = frozenset({"certifier", "jury_organiser"})  # the roles that must use a second factor


def answers(otherwise: int, *grants: tuple[Iterable[str], int], anonymous: int | str = LOGIN) -> dict:
    """Every role gets ``otherwise``, then each ``(roles, status)`` in turn (later grants win)."""
    table: dict = dict.fromkeys(ROLES, otherwise)
    for roles, status in grants:
        table.update(dict.fromkeys(roles, status))
    table["anonymous"] = anonymous
    return table


def public(status: int = 200) -> dict:
    return answers(status, anonymous=status)


@dataclass(frozen=True)
class Row:
    """What GET answers; for a URL that refuses GET, its own ``method`` and what that answers."""

    get: dict
    method: str | None = None
    written: dict | None = None


def read(table: dict) -> Row:
    return Row(get=table)


def acts(method: str, table: dict) -> Row:
    """A form target or an API action: GET is 405 for everyone logged in."""
    return Row(get=answers(405), method=method, written=table)


# The dossier's screens: the evaluator organisation works (status), those who see it get 403, others 404.
def works_on_dossier(status: int) -> dict:
    return answers(404, (SEES_DOSSIER, 403), (WORKERS, status))


READS_DOSSIER = answers(404, (SEES_DOSSIER, 200))


def organises_session(status: int) -> dict:
    return answers(404, ({"jury_member", "certifier"}, 403), ({"jury_organiser"}, status))


def certifier_object(status: int) -> dict:
    """Certificates, print runs, mailings, CPF declarations: the certifier's; anyone else 404."""
    return answers(404, (CERTIFIER, status))


def certifier_page(status: int = 200) -> dict:
    return answers(403, (CERTIFIER, status))


def candidate_only(status: int = 200) -> dict:
    return answers(404, ({"candidate"}, status))


MATRIX: dict[str, Row] = {
    # --- public pages ---
    "pages:home": read(public()),
    "pages:accessibility": read(public()),
    "pages:health": read(public()),
    "pages:dashboard": read(answers(200, ({"candidate"}, 302))),  # the candidate goes to their space
    "geography:commune_options": read(public()),
    "geography:commune_suggestions": read(public()),
    "directory:search": read(public()),
    "directory:detail": read(public()),  # the cast's organisation is habilitated: listed
    "verification:form": read(public()),
    "verification:result": read(public()),
    "candidates:activate": read(public()),  # a pending invitation link opens for whoever holds it
    # --- account ---
    "accounts:login": read(answers(302, anonymous=200)),  # a logged-in person goes on to the dashboard
    "accounts:logout": acts("post", answers(302)),
    # ProConnect and FranceConnect are not configured here: their doors answer 404 (tests/accounts/test_proconnect.py
    # and tests/candidates/test_franceconnect.py run them against a provider).
    "accounts:proconnect_start": read(public(404)),
    "accounts:proconnect_callback": read(public(404)),
    "candidates:franceconnect_start": read(public(404)),
    "candidates:franceconnect_callback": read(public(404)),
    "candidates:activate_franceconnect": read(public(404)),
    "accounts:identity_unlink": acts("post", answers(302)),
    "audit:trail": read(certifier_page()),
    "audit:trail_csv": read(certifier_page()),
    "accounts:profile": read(answers(200)),
    "accounts:password_change": read(answers(200)),
    "accounts:sessions": read(answers(200)),
    "accounts:sessions_end_others": acts("post", answers(302)),
    "accounts:password_reset": read(public()),
    "accounts:password_reset_done": read(public()),
    "accounts:password_reset_confirm": read(public(302)),  # the token moves to the session
    # The second factor: the certifier and the jury organiser have theirs (enrolled, proven this session).
    "accounts:second_factor_enrol": read(answers(200, (SECOND_FACTOR, 302))),
    "accounts:second_factor_verify": read(answers(302, (SECOND_FACTOR, 200))),
    "accounts:second_factor_recovery": read(answers(200)),
    "accounts:second_factor_new_codes": acts("post", answers(403, (SECOND_FACTOR, 302))),
    "accounts:second_factor_off": acts("post", answers(403)),  # mandatory for those who have one here
    "accounts:second_factor_reset": read(answers(403)),  # the certifier's administrators (none in the cast)
    # API tokens: each professional manages their own; the certifier lists and revokes any.
    "tokens:list": read(answers(200, ({"candidate"}, 403))),
    "tokens:all": read(certifier_page()),
    "tokens:revoke": acts("post", answers(404, ({"candidate"}, 403), ({"evaluator", "certifier"}, 302))),
    "notifications:preferences": read(answers(200)),
    "notifications:digest": acts("post", answers(404, (SEES_ORGANISATION, 403), (MANAGES_ORGANISATION, 302))),
    # --- référentiels: versions in force are read by everyone logged in; the certifier manages them ---
    "referentiel:list": read(answers(200)),
    "referentiel:detail": read(answers(200)),
    "referentiel:export_json": read(answers(200)),
    "referentiel:export_csv": read(answers(200)),
    "referentiel:compare": read(answers(200)),
    "referentiel:import": read(certifier_page()),
    "referentiel:activate": acts("post", certifier_page(302)),
    "referentiel:archive": acts("post", certifier_page(302)),
    "referentiel:delete": acts("post", certifier_page(302)),
    # --- organisations: members and the certifier see; administrators and the certifier manage ---
    "organisations:list": read(answers(200)),  # each sees the organisations they belong to
    "organisations:create": read(certifier_page()),
    "organisations:switch": acts("post", answers(302)),
    "organisations:detail": read(answers(404, (SEES_ORGANISATION, 200))),
    "organisations:edit": read(answers(404, (SEES_ORGANISATION, 403), (MANAGES_ORGANISATION, 200))),
    "organisations:member_add": read(answers(404, (SEES_ORGANISATION, 403), (MANAGES_ORGANISATION, 200))),
    "organisations:member_remove": acts("post", answers(404, (SEES_ORGANISATION, 403), (MANAGES_ORGANISATION, 302))),
    "organisations:habilitation_create": read(answers(404, (SEES_ORGANISATION, 403), (CERTIFIER, 200))),
    # --- habilitation campaigns: the certifier instructs, administrators of evaluator organisations apply ---
    "campaigns:list": read(answers(403, (APPLIES | CERTIFIER, 200))),
    "campaigns:create": read(certifier_page()),
    "campaigns:detail": read(answers(403, (APPLIES | CERTIFIER, 200))),
    # The cast's organisation has applied already (302 with the refusal); the outsider's starts a draft.
    "campaigns:apply": acts("post", answers(403, (APPLIES, 302))),
    "campaigns:application": read(answers(404, (SEES_ORGANISATION, 200))),
    # The application is deposited: an empty form is refused (400), the removal too (302 with the refusal).
    **{
        f"campaigns:{name}": acts("post", answers(404, (SEES_ORGANISATION, 403), ({"org_admin"}, 400)))
        for name in ("regions", "establishment_add", "document_upload", "submit")
    },
    "campaigns:establishment_remove": acts("post", answers(404, (SEES_ORGANISATION, 403), ({"org_admin"}, 302))),
    "campaigns:request_more": acts("post", answers(404, (SEES_ORGANISATION, 403), (CERTIFIER, 400))),
    "campaigns:decide": acts("post", answers(404, (SEES_ORGANISATION, 403), (CERTIFIER, 400))),
    "campaigns:document": read(answers(404, (SEES_ORGANISATION, 200))),
    "campaigns:document_check": acts("post", answers(404, (SEES_ORGANISATION, 403), (CERTIFIER, 400))),
    # --- quality control ---
    "quality:signals": read(certifier_page()),
    # Members of evaluator organisations see their audits (none for the outsider's: an empty list).
    "quality:audits": read(answers(403, (WORKERS | {"outsider"} | CERTIFIER, 200))),
    "quality:audit_create": read(certifier_page()),
    "quality:audit": read(certifier_page()),
    "quality:audited": read(answers(404, (SEES_ORGANISATION, 200))),
    "quality:audit_document": read(answers(404, (SEES_ORGANISATION, 200))),
    # The organisation answers (an empty answer is refused: 400) and sends (its one dossier has a piece:
    # 302); the certifier concludes (an empty form: 400).
    "quality:audit_answer": acts("post", answers(404, (SEES_ORGANISATION, 403), (WORKERS, 400))),
    "quality:audit_send": acts("post", answers(404, (SEES_ORGANISATION, 403), (WORKERS, 302))),
    "quality:audit_conclude": acts("post", answers(404, (SEES_ORGANISATION, 403), (CERTIFIER, 400))),
    "quality:withdraw": read(answers(404, (SEES_ORGANISATION, 403), (CERTIFIER, 200))),
    "quality:suspend": read(answers(404, (SEES_ORGANISATION, 403), (CERTIFIER, 200))),
    "quality:lift": acts("post", answers(404, (SEES_ORGANISATION, 403), (CERTIFIER, 302))),
    # --- dossiers ---
    "dossiers:list": read(answers(200)),  # what each sees (``visible_to``)
    "dossiers:open": read(answers(403, (EVALUATOR_ORGS, 200))),
    "dossiers:transfer_request": acts("post", answers(403, (EVALUATOR_ORGS, 302))),
    "dossiers:detail": read(READS_DOSSIER),
    "dossiers:meeting": read(works_on_dossier(200)),
    "dossiers:withdraw": read(works_on_dossier(200)),
    "dossiers:close": read(works_on_dossier(200)),
    "dossiers:submit": read(works_on_dossier(200)),
    "dossiers:transfer_answer": acts("post", works_on_dossier(302)),
    "dossiers:employer_involve": acts("post", works_on_dossier(302)),
    # --- meeting requests: anyone asks from the directory; the evaluator organisation answers ---
    "meetings:create": read(public()),
    "meetings:list": read(answers(403, (EVALUATOR_ORGS, 200))),
    "meetings:propose": acts("post", answers(403, ({"outsider"}, 404), (WORKERS, 302))),
    "meetings:close": acts("post", answers(403, ({"outsider"}, 404), (WORKERS, 302))),
    # An empty body books nothing: the list comes back with the reason.
    "meetings:book": acts("post", answers(403, ({"outsider"}, 404), (WORKERS, 302))),
    "meetings:slots": read(answers(403, (EVALUATOR_ORGS, 200))),
    "meetings:slot_create": read(answers(403, (EVALUATOR_ORGS, 200))),
    "meetings:slot_detail": read(answers(403, ({"outsider"}, 404), (WORKERS, 200))),
    "meetings:slot_cancel": acts("post", answers(403, ({"outsider"}, 404), (WORKERS, 302))),
    "meetings:slot_delete": acts("post", answers(403, ({"outsider"}, 404), (WORKERS, 302))),  # booked: refused
    "meetings:slot_attendance": acts("post", answers(403, ({"outsider"}, 404), (WORKERS, 302))),
    # The person's page: whoever holds the signed link of their e-mail, with or without an account.
    "meetings:person": read(public()),
    "meetings:person_cancel": Row(get=public(405), method="post", written=public(302)),
    "dossiers:employer_end": acts("post", works_on_dossier(302)),
    "evaluations:results": read(READS_DOSSIER),
    "evaluations:results_pdf": read(READS_DOSSIER),
    "evaluations:grid": read(READS_DOSSIER),
    "evaluations:start": read(works_on_dossier(200)),
    "evaluations:grid_cell": acts("post", works_on_dossier(200)),  # htmx: the row comes back
    # GET shows the grid with the sitting form, as after a refused sitting (400): a form target.
    "evaluations:sitting_create": read(works_on_dossier(400)),
    "evaluations:close": acts("post", works_on_dossier(302)),
    "training:path_create": read(works_on_dossier(200)),
    # Progress is the trainer's: the evaluator organisation and the certifier see the path (403).
    "training:progress_create": read(answers(404, (SEES_DOSSIER, 403), ({"trainer"}, 200))),
    "candidates:invite": acts("post", works_on_dossier(302)),
    # --- funding ---
    "funding:create": read(works_on_dossier(200)),
    "funding:export": read(answers(200)),  # the lines of the dossiers each sees
    "funding:fee_index": read(answers(403, (SEES_FEES, 200))),
    "funding:statement": read(answers(404, (SEES_ORGANISATION, 403), (MANAGES_ORGANISATION, 200))),
    "funding:statement_csv": read(answers(404, (SEES_ORGANISATION, 403), (MANAGES_ORGANISATION, 200))),
    "funding:statement_pdf": read(answers(404, (SEES_ORGANISATION, 403), (MANAGES_ORGANISATION, 200))),
    # --- absences: the employer answers; those who see the dossier see the request ---
    "absences:list": read(answers(200)),
    "absences:create": read(works_on_dossier(200)),
    "absences:answer": read(answers(404, (SEES_DOSSIER, 403), ({"employer"}, 200))),
    "absences:employer_funding": read(answers(404, ({"employer"}, 200))),  # the employer's own employees
    # The employer sees the cast's line, but the evaluator recorded it: only its own lines change.
    "absences:employer_funding_edit": read(answers(404, ({"employer"}, 403))),
    # --- the candidate's space: their own dossier only ---
    "candidates:home": read(candidate_only()),
    "candidates:my_data": read(candidate_only()),
    "candidates:results_pdf": read(candidate_only()),
    "candidates:skills_record_pdf": read(candidate_only()),
    "candidates:certificate_pdf": read(answers(404)),  # Léa is in training: no certificate yet
    "candidates:share_results": acts("post", candidate_only(302)),
    # --- personal data: the person asks from their space; the evaluator organisation's administrators answer ---
    "privacy:mine": read(candidate_only()),
    "privacy:withdraw_consent": read(candidate_only()),
    "privacy:erasure": read(candidate_only()),
    "privacy:keep": acts("post", candidate_only(302)),  # no notice running: the page says so
    "privacy:list": read(answers(403, ({"org_admin", "outsider"}, 200))),
    "privacy:handle": read(answers(403, ({"outsider"}, 404), ({"org_admin"}, 200))),
    # --- referrals: the prescriber sends, the evaluator organisation answers ---
    "referrals:list": read(answers(200)),
    "referrals:create": read(answers(403, ({"prescriber"}, 200))),
    # GET changes nothing and goes back to the list; the prescriber and the certifier see the referral.
    "referrals:decline": read(answers(404, ({"prescriber", "certifier"}, 403), (WORKERS, 302))),
    # --- the jury: its organisation's staff and its members see the session, the organiser acts ---
    "jury:list": read(answers(200)),
    "jury:create": read(answers(403, ({"jury_organiser"}, 200))),
    "jury:detail": read(answers(404, (SEES_SESSION, 200))),
    "jury:minutes": read(answers(404, (SEES_SESSION, 200))),
    "jury:member_add": acts("post", organises_session(302)),
    "jury:attendance": acts("post", organises_session(302)),
    "jury:put_on_session": acts("post", organises_session(302)),
    "jury:award_clean": acts("post", organises_session(302)),
    "jury:decide": acts("post", organises_session(302)),
    "jury:close": acts("post", organises_session(302)),
    # --- certificates: the certifier's screens (others 403) and objects (others 404) ---
    "certificates:list": read(certifier_page()),
    "certificates:sessions": read(certifier_page()),
    "certificates:batches": read(certifier_page()),
    "certificates:batch_create": read(certifier_page()),
    "certificates:cpf": read(certifier_page()),
    "certificates:cpf_overdue": read(certifier_page()),
    "certificates:cpf_settings": read(certifier_page()),
    "certificates:cpf_blocked": read(certifier_page()),
    "certificates:cpf_export": acts("post", certifier_page(302)),
    "certificates:cpf_ack_import": acts("post", certifier_page(302)),
    "certificates:session_issue": acts("post", certifier_object(302)),
    "certificates:detail": read(certifier_object(200)),
    "certificates:pdf": read(certifier_object(200)),
    "certificates:duplicate": read(certifier_object(200)),
    "certificates:revoke": read(certifier_object(200)),
    "certificates:batch_detail": read(certifier_object(200)),
    "certificates:batch_pdf": read(certifier_object(200)),
    "certificates:batch_sent": acts("post", certifier_object(302)),
    "certificates:mailing_sent": acts("post", certifier_object(302)),
    "certificates:mailing_returned": read(certifier_object(200)),
    "certificates:mailing_resend": acts("post", certifier_object(302)),
    "certificates:mailing_pdf": read(certifier_object(200)),
    "certificates:cpf_export_download": read(certifier_object(200)),
    # The record of acquired skills: the evaluator organisation and the certifier; the trainer sees (403).
    "certificates:skills_record": read(answers(404, ({"trainer"}, 403), (WORKERS | CERTIFIER, 200))),
    # --- API v1: the same rules as the screens; logged out is 401 ---
    "api:schema": read(public()),
    "api:docs": read(public()),
    "api:referentiel-list": read(public()),
    "api:referentiel-detail": read(public()),
    "api:directory-list": read(public()),
    "api:directory-detail": read(public()),
    "api:verification": read(public()),
    "api:dossier-list": read(answers(200)),
    "api:dossier-search": acts("post", answers(200)),
    "api:dossier-detail": read(READS_DOSSIER),
    "api:dossier-meetings": acts("post", works_on_dossier(400)),
    "api:dossier-evaluations": acts("post", works_on_dossier(400)),
    "api:dossier-training-paths": acts("post", works_on_dossier(400)),
    "api:dossier-absence-requests": acts("post", works_on_dossier(400)),
    "api:dossier-submit": acts("post", works_on_dossier(409)),  # in training: not ready for the jury
    "api:dossier-withdraw": acts("post", works_on_dossier(400)),
    "api:dossier-close": acts("post", works_on_dossier(400)),
    # The employer sees the funding of its employees' dossiers, as on its funding screen.
    "api:dossier-funding-lines": read(answers(404, (SEES_DOSSIER | {"employer"}, 200))),
    "api:evaluation-grid": read(READS_DOSSIER),
    "api:evaluation-sittings": acts("post", works_on_dossier(400)),
    "api:evaluation-results": acts("put", works_on_dossier(400)),
    "api:evaluation-corrections": acts("post", works_on_dossier(400)),
    "api:evaluation-close": acts("post", works_on_dossier(409)),  # already closed
    "api:training-path-progress": acts("post", answers(404, (SEES_DOSSIER, 403), ({"trainer"}, 400))),
    # The body names the acting organisation: it is read first (400), whoever asks.
    "api:transfer-request-list": acts("post", answers(400)),
    "api:transfer-request-answer": acts("post", works_on_dossier(400)),
    "api:referral-list": read(answers(200)),
    "api:referral-accept": acts("post", answers(404, ({"prescriber", "certifier"}, 403), (WORKERS, 400))),
    "api:referral-decline": acts("post", answers(404, ({"prescriber", "certifier"}, 403), (WORKERS, 400))),
    "api:absence-request-list": read(answers(200)),
    "api:absence-request-answer": acts("post", answers(404, (SEES_DOSSIER, 403), ({"employer"}, 400))),
    "api:funding-line-list": read(answers(200)),
    # The funding the employer brings, while the employee involves it; an empty body is refused (400).
    "api:dossier-employer-funding-lines": acts("post", answers(404, ({"employer"}, 400))),
    "api:employer-funding-line-detail": acts("patch", answers(404, ({"employer"}, 403))),
    "api:jury-session-list": read(answers(200)),
    "api:jury-session-detail": read(answers(404, (SEES_SESSION, 200))),
    "api:jury-session-minutes": read(answers(404, (SEES_SESSION, 200))),
    "api:jury-session-members": acts("post", organises_session(400)),
    "api:jury-session-attendance": acts("put", organises_session(400)),
    "api:jury-session-dossiers": acts("post", organises_session(400)),
    "api:jury-session-decision": acts("post", organises_session(400)),
    "api:jury-session-award-clean": acts("post", organises_session(409)),  # the session is closed
    "api:jury-session-close": acts("post", organises_session(409)),
    "api:jury-session-certificates": acts(
        "post", answers(404, ({"jury_member", "jury_organiser"}, 403), (CERTIFIER, 200))
    ),
    "api:certificate-list": read(certifier_page()),
    "api:certificate-detail": read(certifier_object(200)),
    "api:certificate-pdf": read(certifier_object(200)),
    "api:certificate-duplicate": acts("post", certifier_object(201)),
    "api:certificate-revoke": acts("post", certifier_object(400)),
    "api:mailing-batch-list": read(certifier_page()),
    "api:mailing-batch-detail": read(certifier_object(200)),
    "api:mailing-batch-pdf": read(certifier_object(200)),
    "api:mailing-batch-sent": acts("post", certifier_object(200)),
    "api:mailing-returned": acts("post", certifier_object(400)),
    "api:mailing-resend": acts("post", certifier_object(409)),  # not returned
    "api:mailing-pdf": read(certifier_object(200)),
    "api:cpf-export-list": acts("post", certifier_page(400)),  # already declared: nothing to report
    "api:cpf-export-ack": acts("post", certifier_page(415)),  # the acknowledgement is an XML file
    "api:cpf-export-xml": read(certifier_object(200)),
}

# Known bugs: (url name, role, GET or the row's method) → why. Each is a strict xfail: fixing the bug
# makes the case pass, and then this entry must go.
BUGS: dict[tuple[str, str, str], str] = {}


def _cases(method: str) -> list:
    cases = []
    for name, row in MATRIX.items():
        if method == "write" and row.method is None:
            continue
        for role in ROLES:
            how = "get" if method == "get" else row.method
            reason = BUGS.get((name, role, how))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            cases.append(pytest.param(name, role, marks=marks, id=f"{name}-{role}"))
    return cases


def _login(client, world: Cast, role: str) -> None:
    """Log in a fresh copy: logging in writes ``last_login`` on the object, and the cast's is shared."""
    user = world.user(role)
    if user is not None:
        client.force_login(type(user).objects.get(pk=user.pk))


def _ask(client, world: Cast, name: str, role: str, method: str):
    _login(client, world, role)
    url = reverse(name, kwargs=KWARGS.get(name, lambda cast: {})(world))
    if method == "get":
        return client.get(url)
    if name.startswith("api:"):
        return client.generic(method.upper(), url, "{}", content_type="application/json")
    return client.generic(method.upper(), url, "", content_type="application/x-www-form-urlencoded")


def _check(response, name: str, expected) -> None:
    if expected == LOGIN:
        if name.startswith("api:"):
            assert response.status_code == 401
        else:
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


# --- the cases -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "role"), _cases("get"))
def test_get(client, world, name, role):
    _check(_ask(client, world, name, role, "get"), name, MATRIX[name].get[role])


@pytest.mark.parametrize(("name", "role"), _cases("write"))
def test_the_urls_own_method(client, world, name, role):
    """A URL that refuses GET, asked with its own method and an empty body."""
    row = MATRIX[name]
    _check(_ask(client, world, name, role, row.method), name, row.written[role])


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_is_for_staff_only(client, world, role):
    """No one of the cast is staff: the admin sends everyone to its own login page."""
    _login(client, world, role)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def _password_only_cases() -> list:
    return [
        pytest.param(name, role, id=f"{name}-{role}")
        for name in MATRIX
        if name not in SECOND_FACTOR_OPEN
        for role in sorted(SECOND_FACTOR)
    ]


@pytest.mark.password_only
@pytest.mark.parametrize(("name", "role"), _password_only_cases())
def test_no_sensitive_view_without_the_second_factor(client, world, name, role):
    """The certifier and the jury organiser with their password alone reach nothing but the code's page:
    every page sends them there, every API operation answers 403."""
    _login(client, world, role)
    row = MATRIX[name]
    response = _ask(client, world, name, role, row.method or "get")
    if name.startswith("api:"):
        assert response.status_code == 403 and "Double authentification" in response.json()["detail"]
    else:
        assert response.status_code == 302  # never enrolled here: the first login enrols
        assert response["Location"].startswith(reverse("accounts:second_factor_enrol") + "?next=")


# --- the matrix follows the resolver ------------------------------------------------------------------


def test_every_url_has_a_row():
    missing = sorted(set(named_urls()) - set(MATRIX))
    assert not missing, f"URL sans ligne dans la matrice des permissions : {missing}"


def test_every_row_names_a_url():
    gone = sorted(set(MATRIX) - set(named_urls()))
    assert not gone, f"Ligne de la matrice pour une URL disparue : {gone}"
    assert not sorted(set(KWARGS) - set(MATRIX)), "identifiants pour une URL sans ligne"
    assert {name for name, _, _ in BUGS} <= set(MATRIX)


def test_every_row_answers_for_every_role():
    for name, row in MATRIX.items():
        assert set(row.get) == set(ROLES), name
        assert (row.method is None) == (row.written is None), name
        if row.written is not None:
            assert set(row.written) == set(ROLES), name
