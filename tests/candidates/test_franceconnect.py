"""FranceConnect for candidates, against the suite's own OpenID Connect provider (tests/oidc_idp).

The space opens through the invitation, and only if FranceConnect's birth date is the dossier's; other
differences are shown to the evaluator; blank fields are filled; the userinfo comes as a signed JWT."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from clea.accounts.models import ExternalIdentity
from clea.candidates.franceconnect import compare
from clea.candidates.models import IdentityCheck
from clea.lib.errors import RuleViolation
from tests.oidc import Person

pytestmark = [pytest.mark.django_db, pytest.mark.real_clock, pytest.mark.usefixtures("path_setting")]
CALLBACK = "http://testserver/espace/franceconnect/retour/"
LOGIN = "http://testserver/compte/connexion/"


def _lea(**overrides) -> dict:
    claims = {
        "given_name": "Léa Marie",
        "family_name": "DURAND",
        "preferred_username": "",
        "birthdate": "1990-05-17",
        "gender": "female",
        "birthplace": "35238",
        "birthcountry": "99100",
        "email": "lea.durand@exemple.fr",
    }
    return {**claims, **overrides}


def _through(client, idp, start_url: str, person: Person):
    idp.seed([person], redirect_uris=[CALLBACK], post_logout_redirect_uris=[LOGIN])
    start = client.get(start_url)
    assert start.status_code == 302, start.content[:300]
    back = urlsplit(idp.sign_in(start["Location"], person))
    return client.get(back.path, parse_qs(back.query))


def test_the_invited_candidate_opens_their_space_with_franceconnect_and_comes_back(client, oidc_settings, cast):
    token = cast._invite(cast.dossier)
    person = Person("lea-fc", claims=_lea())

    response = _through(client, oidc_settings, reverse("candidates:activate_franceconnect", args=[token]), person)

    assert response.status_code == 302
    assert response.url == reverse("candidates:home")
    user = ExternalIdentity.objects.get(provider="franceconnect").user
    assert user.candidate_account.candidate == cast.dossier.candidate
    assert not user.has_usable_password()
    check = IdentityCheck.objects.get(candidate=cast.dossier.candidate)
    assert check.differences == []
    assert client.get(reverse("candidates:home")).status_code == 200
    # The link has served; the next time, FranceConnect alone opens the space.
    client.logout()
    again = _through(client, oidc_settings, reverse("candidates:franceconnect_start"), person)
    assert again.url == reverse("candidates:home")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("candidates:activate", args=[token])).status_code == 409


def test_another_birth_date_opens_nothing(client, oidc_settings, cast):
    token = cast._invite(cast.dossier)
    person = Person("quelqu-un", claims=_lea(birthdate="1991-05-17"))

    response = _through(client, oidc_settings, reverse("candidates:activate_franceconnect", args=[token]), person)

    assert response.status_code == 400
    assert "date de naissance" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not ExternalIdentity.objects.exists()
    assert not IdentityCheck.objects.exists()
    # Nothing was half written: the invitation still works with a password.
    assert client.get(reverse("candidates:activate", args=[token])).status_code == 200


def test_a_spelling_difference_is_shown_to_the_evaluator_and_blanks_are_filled(client, oidc_settings, cast):
    candidate = cast.dossier.candidate
    candidate.birth_commune = None
    candidate.birth_country = None
    candidate.save()
    token = cast._invite(cast.dossier)
    person = Person("lea-fc", claims=_lea(given_name="Lea", preferred_username="Martin"))

    assert (
        _through(client, oidc_settings, reverse("candidates:activate_franceconnect", args=[token]), person).status_code
        == 302
    )

    candidate.refresh_from_db()
    assert candidate.birth_commune_id == "35238"
    assert candidate.usage_name == "Martin"
    check = IdentityCheck.objects.get()
    assert check.differences == ["first_names"]
    assert check.filled == ["birth_commune", "usage_name"]
    client.force_login(cast.evaluator)
    page = client.get(reverse("dossiers:detail", args=[cast.dossier.public_id])).content.decode()
    assert "écart sur prénoms" in page


@pytest.mark.parametrize(
    ("fault", "reason"),
    [("userinfo_subject", "userinfo_subject"), ("userinfo_signature", "id_token:BadSignatureError")],
)
def test_a_userinfo_jwt_for_someone_else_or_badly_signed_is_refused(client, oidc_settings, cast, fault, reason, caplog):
    token = cast._invite(cast.dossier)
    person = Person("lea-fc", claims=_lea(), fault=fault)

    response = _through(client, oidc_settings, reverse("candidates:activate_franceconnect", args=[token]), person)

    assert response.status_code == 400
    assert f"reason={reason}" in caplog.text
    assert "Durand" not in caplog.text and "1990" not in caplog.text
    assert not ExternalIdentity.objects.exists()


def test_a_franceconnect_identity_without_invitation_finds_no_space(client, oidc_settings, cast):
    response = _through(client, oidc_settings, reverse("candidates:franceconnect_start"), Person("x", claims=_lea()))
    assert response.status_code == 400
    assert "Aucun espace candidat" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_candidate_in_their_space_links_franceconnect(client, oidc_settings, cast):
    client.force_login(cast.candidate)
    response = _through(
        client, oidc_settings, reverse("candidates:franceconnect_start"), Person("lea-fc", claims=_lea())
    )
    assert response.url == reverse("candidates:home")
    assert ExternalIdentity.objects.get().user == cast.candidate
    assert "Retirer le lien avec FranceConnect" in client.get(reverse("accounts:profile")).content.decode()


def test_an_expired_invitation_does_not_start(client, oidc_settings):
    response = client.get(reverse("candidates:activate_franceconnect", args=["pas-un-jeton"]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("claims", "differences"),
    [
        ({}, []),
        ({"family_name": "Durand-Le Gall"}, ["birth_name"]),
        ({"given_name": "LEA MARIE"}, []),
        ({"gender": "male"}, ["sex"]),
        ({"birthplace": "75056"}, ["birth_commune"]),
        ({"birthplace": "99999", "birthcountry": "99134"}, ["birth_country"]),  # born abroad, says FranceConnect
    ],
)
def test_compare(cast, claims, differences):
    assert compare(cast.dossier.candidate, _lea(**claims))[0] == differences


@pytest.mark.parametrize("birthdate", ["1990-05-18", "", "17/05/1990"])
def test_compare_refuses_another_birth_date(cast, birthdate):
    with pytest.raises(RuleViolation):
        compare(cast.dossier.candidate, _lea(birthdate=birthdate))
