"""ProConnect sign-in against a real OpenID Connect provider started by the suite (tests/oidc_idp).

An account is found by its linked identity or by the verified e-mail of an existing account, never created;
a wrong state, nonce, audience or signature is refused with a French message and logged without the person."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from clea.accounts.models import ExternalIdentity
from tests.factories import UserFactory
from tests.oidc import Person

pytestmark = [pytest.mark.django_db, pytest.mark.real_clock]
CALLBACK = "http://testserver" + "/compte/connexion/proconnect/retour/"
LOGIN = "http://testserver/compte/connexion/"


def _claims(email: str) -> dict:
    return {"email": email, "given_name": "Lina", "usual_name": "Morel", "siret": "13002526500013", "uid": "42"}


def _seed(idp, *people: Person) -> None:
    idp.seed(list(people), redirect_uris=[CALLBACK], post_logout_redirect_uris=[LOGIN])


def _sign_in(client, idp, person: Person, **query):
    start = client.get(reverse("accounts:proconnect_start"), query)
    assert start.status_code == 302
    back = idp.sign_in(start["Location"], person)
    parts = urlsplit(back)
    return client.get(parts.path, parse_qs(parts.query))


def test_an_existing_account_is_linked_on_the_verified_email_and_found_again_by_its_subject(client, oidc_settings):
    user = UserFactory(email="lina.morel@exemple.fr")
    person = Person("lina", claims=_claims("Lina.Morel@exemple.fr"))
    _seed(oidc_settings, person)

    response = _sign_in(client, oidc_settings, person)

    assert response.status_code == 302
    assert response.url == reverse("pages:dashboard")
    assert client.session["_auth_user_id"] == str(user.pk)
    identity = ExternalIdentity.objects.get(user=user)
    assert identity.provider == "proconnect"
    # The e-mail changes at ProConnect: the link (the subject) still finds the account.
    client.logout()
    person.claims["email"] = "autre@exemple.fr"
    _seed(oidc_settings, person)
    assert _sign_in(client, oidc_settings, person).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_an_invited_person_without_name_gets_proconnect_s(client, oidc_settings):
    user = UserFactory(email="lina.morel@exemple.fr", first_name="", last_name="")
    person = Person("lina", claims=_claims("lina.morel@exemple.fr"))
    _seed(oidc_settings, person)

    assert _sign_in(client, oidc_settings, person).status_code == 302

    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Lina", "Morel")


def test_nobody_is_created_for_an_unknown_email(client, oidc_settings, caplog):
    person = Person("inconnu", claims=_claims("personne@exemple.fr"))
    _seed(oidc_settings, person)

    response = _sign_in(client, oidc_settings, person)

    assert response.status_code == 400
    assert "Aucun compte professionnel" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not ExternalIdentity.objects.exists()
    assert "personne@exemple.fr" not in caplog.text
    assert "reason=no_account" in caplog.text


def test_a_candidate_account_does_not_open_with_proconnect(client, oidc_settings, cast):
    candidate = cast.candidate
    person = Person("lea", claims=_claims(candidate.email))
    _seed(oidc_settings, person)

    assert _sign_in(client, oidc_settings, person).status_code == 400
    assert "_auth_user_id" not in client.session


# Another audience fails on the authorised party Authlib then requires (azp), before the audience itself.
@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("nonce", "id_token:InvalidClaimError"),
        ("audience", "id_token:MissingClaimError"),
        ("signature", "id_token:BadSignatureError"),
    ],
)
def test_a_forged_id_token_is_refused(client, oidc_settings, fault, reason, caplog):
    UserFactory(email="lina.morel@exemple.fr")
    person = Person("lina", claims=_claims("lina.morel@exemple.fr"), fault=fault)
    _seed(oidc_settings, person)

    response = _sign_in(client, oidc_settings, person)

    assert response.status_code == 400
    assert "pas pu être vérifiée" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert f"reason={reason}" in caplog.text
    assert not ExternalIdentity.objects.exists()


def test_a_wrong_or_replayed_state_is_refused(client, oidc_settings):
    UserFactory(email="lina.morel@exemple.fr")
    person = Person("lina", claims=_claims("lina.morel@exemple.fr"))
    _seed(oidc_settings, person)
    start = client.get(reverse("accounts:proconnect_start"))
    back = urlsplit(oidc_settings.sign_in(start["Location"], person))
    query = parse_qs(back.query)

    tampered = client.get(back.path, {**query, "state": "un-autre-etat"})
    assert tampered.status_code == 400
    assert "plus valable" in tampered.content.decode()
    assert client.get(back.path, query).status_code == 302  # the genuine answer, once
    client.logout()
    replayed = client.get(back.path, query)
    assert replayed.status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_cancelled_sign_in_says_so(client, oidc_settings):
    client.get(reverse("accounts:proconnect_start"))
    keys = list(client.session.keys())  # Authlib keeps each pending sign-in under _state_<provider>_<state>
    state = next(key for key in keys if key.startswith("_state_proconnect_")).removeprefix("_state_proconnect_")
    response = client.get(reverse("accounts:proconnect_callback"), {"error": "access_denied", "state": state})
    assert response.status_code == 400
    assert "annulée" in response.content.decode()


def test_a_logged_in_professional_links_proconnect_from_their_account(client, oidc_settings):
    user = UserFactory(email="lina.morel@exemple.fr")
    client.force_login(user)
    person = Person("lina-pro", claims=_claims("adresse.professionnelle@exemple.fr"))
    _seed(oidc_settings, person)

    response = _sign_in(client, oidc_settings, person)

    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    assert ExternalIdentity.objects.filter(user=user, provider="proconnect").exists()
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Retirer le lien avec ProConnect" in page
    client.post(reverse("accounts:identity_unlink", args=["proconnect"]))
    assert not ExternalIdentity.objects.exists()


def test_logout_ends_the_provider_session_too(client, oidc_settings):
    UserFactory(email="lina.morel@exemple.fr")
    person = Person("lina", claims=_claims("lina.morel@exemple.fr"))
    _seed(oidc_settings, person)
    _sign_in(client, oidc_settings, person)

    response = client.post(reverse("accounts:logout"))

    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    end_session = urlsplit(response["Location"])
    assert response["Location"].startswith(oidc_settings.base_url)
    query = parse_qs(end_session.query)
    assert query["post_logout_redirect_uri"] == [LOGIN]
    assert "id_token_hint" in query


def test_logout_without_provider_goes_home(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.url == reverse("pages:home")


def test_the_buttons_show_only_when_a_service_is_configured(client, settings, oidc_settings):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "S’identifier avec" in page and "ProConnect" in page and "FranceConnect" in page
    settings.OIDC_PROVIDERS = {name: {**conf, "client_id": ""} for name, conf in settings.OIDC_PROVIDERS.items()}
    assert "ProConnect" not in client.get(reverse("accounts:login")).content.decode()
    assert client.get(reverse("accounts:proconnect_start")).status_code == 404
