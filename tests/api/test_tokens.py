"""Issue 17, API tokens: named, for one organisation and one set of operations, with an expiry, stored
hashed, listed and revocable from « Mon compte »; the certifier revokes any."""

import datetime
import logging

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from clea.api.models import ApiToken, Scope
from clea.api.tokens import MAX_DAYS, issue_token
from clea.lib.errors import RuleViolation
from tests.api.auth import token_for
from tests.clock import PARIS, TODAY
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def api(raw: str | None = None) -> APIClient:
    client = APIClient()
    if raw is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


def test_only_a_hash_is_stored_and_the_token_works(cast, path_setting):
    raw = token_for(cast.evaluator)
    token = ApiToken.objects.get()
    assert raw.startswith(f"clea_{token.prefix}_")
    assert raw.split("_", 2)[2] not in token.secret_hash and len(token.secret_hash) == 64
    assert api(raw).get("/api/v1/dossiers/").status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize(
    "header",
    ["Token pas-un-jeton", "Token clea_abc_def", "Token", "Bearer clea_000000000000_xyz", "Token a b"],
)
def test_unknown_or_malformed_tokens_are_refused_in_french(cast, path_setting, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/dossiers/")
    assert response.status_code == 401
    assert "jeton" in response.json()["detail"].lower() or "authorization" in response.json()["detail"].lower()


def test_a_wrong_secret_with_a_real_prefix_is_refused(cast, path_setting):
    raw = token_for(cast.evaluator)
    forged = raw[: raw.rindex("_") + 1] + "x" * 43
    assert api(forged).get("/api/v1/dossiers/").status_code == 401


def test_an_expired_token_says_when_it_expired(cast, path_setting):
    raw = token_for(cast.evaluator)  # 30 days
    with time_machine.travel(datetime.datetime.combine(TODAY + datetime.timedelta(days=31), datetime.time(9), PARIS)):
        response = api(raw).get("/api/v1/dossiers/")
    assert response.status_code == 401 and "expiré le 27/12/2026" in response.json()["detail"]


def test_a_revoked_token_stops_at_once(client, cast, path_setting):
    raw = token_for(cast.evaluator)
    client.force_login(cast.evaluator)
    token = ApiToken.objects.get()
    assert client.post(reverse("tokens:revoke", args=[token.public_id])).status_code == 302
    response = api(raw).get("/api/v1/dossiers/")
    assert response.status_code == 401 and "révoqué" in response.json()["detail"]
    token.refresh_from_db()
    assert token.revoked_by == cast.evaluator


def test_a_read_only_token_changes_nothing(cast, path_setting):
    dossier = cast.dossier
    raw = token_for(cast.evaluator, scope=Scope.READ)
    assert api(raw).get(f"/api/v1/dossiers/{dossier.public_id}/").status_code == 200
    response = api(raw).post(f"/api/v1/dossiers/{dossier.public_id}/withdraw/", {"reason": "Test"}, format="json")
    assert response.status_code == 403 and "lecture seule" in response.json()["detail"]
    dossier.refresh_from_db()
    assert dossier.state == "training"


def test_a_token_acts_for_its_organisation_only(cast, path_setting, referentiels):
    """A member of two evaluator organisations: the token of the second does not see the first's dossiers."""
    dossier = cast.dossier
    second = cast.outsider_organisation
    MembershipFactory(user=cast.evaluator, organisation=second, role="evaluator")
    first_raw = token_for(cast.evaluator, organisation=cast.organisation)
    second_raw = token_for(cast.evaluator, organisation=second)
    assert api(first_raw).get(f"/api/v1/dossiers/{dossier.public_id}/").status_code == 200
    assert api(second_raw).get(f"/api/v1/dossiers/{dossier.public_id}/").status_code == 404
    listed = api(second_raw).get("/api/v1/dossiers/").json()
    assert str(dossier.public_id) not in str(listed)


def test_a_token_stops_when_its_holder_leaves_the_organisation(cast, path_setting):
    raw = token_for(cast.evaluator)
    cast.evaluator.memberships.update(is_active=False)
    response = api(raw).get("/api/v1/dossiers/")
    assert response.status_code == 401 and "plus membre" in response.json()["detail"]


def test_refusals_are_logged_without_the_secret(cast, path_setting, caplog):
    raw = token_for(cast.evaluator)
    secret = raw.split("_", 2)[2]
    with caplog.at_level(logging.WARNING, logger="clea.api.authentication"):
        api(raw[:-1] + ("A" if raw[-1] != "A" else "B")).get("/api/v1/dossiers/")
    assert "prefix" in caplog.text and secret not in caplog.text and secret[:-1] not in caplog.text


@pytest.mark.parametrize(
    ("days", "field"),
    [(0, "expires_on"), (-3, "expires_on"), (MAX_DAYS + 1, "expires_on"), (MAX_DAYS, None), (1, None)],
)
def test_expiry_is_required_within_a_year(cast, days, field):
    def issue():
        return issue_token(
            cast.evaluator,
            organisation=cast.organisation,
            name="Outil",
            scope=Scope.READ,
            expires_on=TODAY + datetime.timedelta(days=days),
            today=TODAY,
        )

    if field is None:
        assert issue()[0].pk
    else:
        with pytest.raises(RuleViolation) as refused:
            issue()
        assert refused.value.field == field and not ApiToken.objects.exists()


def test_no_token_for_another_organisation(cast):
    with pytest.raises(RuleViolation, match="pas membre"):
        issue_token(
            cast.evaluator,
            organisation=cast.outsider_organisation,
            name="Outil",
            scope=Scope.WRITE,
            expires_on=TODAY + datetime.timedelta(days=5),
            today=TODAY,
        )


def test_mon_compte_creates_shows_once_and_lists(client, cast):
    client.force_login(cast.evaluator)
    assert reverse("tokens:list") in client.get(reverse("accounts:profile")).content.decode()
    response = client.post(
        reverse("tokens:list"),
        {
            "name": "Logiciel de l'organisme",
            "organisation": str(cast.organisation.public_id),
            "scope": "read",
            "expires_on": (TODAY + datetime.timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 302
    token = ApiToken.objects.get()
    first = client.get(reverse("tokens:list")).content.decode()
    assert f"clea_{token.prefix}_" in first and "Logiciel de l&#x27;organisme" in first
    again = client.get(reverse("tokens:list")).content.decode()
    assert f"clea_{token.prefix}_" not in again and f"{token.prefix}…" in again


def test_mon_compte_refuses_a_bad_form_in_french(client, cast):
    client.force_login(cast.evaluator)
    response = client.post(
        reverse("tokens:list"),
        {"name": "", "organisation": str(cast.organisation.public_id), "scope": "admin", "expires_on": "2030-01-01"},
    )
    assert response.status_code == 400 and not ApiToken.objects.exists()
    body = response.content.decode()
    assert "Sélectionnez un choix valide" in body or "choix valide" in body


def test_the_certifier_revokes_any_token_others_only_their_own(client, cast):
    raw = token_for(cast.evaluator)
    token = ApiToken.objects.get()
    client.force_login(cast.outsider)
    assert client.post(reverse("tokens:revoke", args=[token.public_id])).status_code == 404
    assert client.get(reverse("tokens:all")).status_code == 403
    client.force_login(cast.certifier)
    assert token.prefix in client.get(reverse("tokens:all")).content.decode()
    assert client.post(reverse("tokens:revoke", args=[token.public_id])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == cast.certifier
    assert api(raw).get("/api/v1/dossiers/").status_code == 401


def test_candidates_have_no_tokens(client, cast, path_setting):
    client.force_login(cast.candidate)
    assert client.get(reverse("tokens:list")).status_code == 403


def test_a_personal_jury_seat_is_outside_a_tokens_organisation(cast, path_setting):
    """The jury member sits in their own name; a token for their organisation does not carry the seat."""
    session = cast.jury_session
    seated = cast.jury_member
    session_url = f"/api/v1/jury-sessions/{session.public_id}/"
    employer_org = cast.employer_organisation
    MembershipFactory(user=seated, organisation=employer_org, role="employer_contact")
    assert api(token_for(seated, organisation=cast.jury_organisation)).get(session_url).status_code == 200
    assert api(token_for(seated, organisation=employer_org)).get(session_url).status_code == 404
