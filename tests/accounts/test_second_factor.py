"""Issue 17, two-factor authentication (TOTP with django-otp): mandatory for the certifier's staff, jury
organisers and technical administrators, enrolled at first login, available to everyone; recovery codes;
a lost device is reset by a certifier administrator, and that is recorded."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clea.accounts import second_factor
from clea.accounts.models import SecondFactorReset
from clea.lib.roles import OrganisationKind, Role
from tests.factories import MembershipFactory, UserFactory, member
from tests.second_factor import current_code, device_of

pytestmark = [pytest.mark.django_db, pytest.mark.password_only]
PASSWORD = "mot-de-passe-de-test"


@pytest.fixture
def later():
    """Move the clock on (the tests' clock is frozen at tests/clock.NOW, ticking); put back at the end."""
    travellers = []

    def move(seconds: int = 5) -> None:
        travellers.append(time_machine.travel(timezone.now() + datetime.timedelta(seconds=seconds), tick=True))
        travellers[-1].start()

    yield move
    for traveller in reversed(travellers):
        traveller.stop()


def log_in(client, user):
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client.get(reverse("pages:dashboard"))


@pytest.mark.parametrize(
    ("kind", "role", "required"),
    [
        (OrganisationKind.CERTIFIER, Role.CERTIFIER_OFFICER, True),
        (OrganisationKind.CERTIFIER, Role.ADMIN, True),
        (OrganisationKind.JURY_ORGANISER, Role.JURY_ORGANISER, True),
        (OrganisationKind.JURY_ORGANISER, Role.ADMIN, True),  # plans sessions and signs the minutes too
        (OrganisationKind.JURY_ORGANISER, Role.JURY_MEMBER, False),
        (OrganisationKind.EVALUATOR, Role.EVALUATOR, False),
        (OrganisationKind.EMPLOYER, Role.EMPLOYER_CONTACT, False),
    ],
)
def test_who_must_use_it(kind, role, required):
    assert second_factor.required_for(member(kind, role)) is required


def test_technical_administrators_must_too():
    assert second_factor.required_for(UserFactory(is_staff=True))


def test_first_login_enrols_then_shows_recovery_codes_once(client, later):
    certifier = member(OrganisationKind.CERTIFIER, Role.CERTIFIER_OFFICER)
    response = log_in(client, certifier)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:second_factor_enrol"))
    page = client.get(response["Location"])
    assert page.status_code == 200 and "<svg" in page.content.decode()
    wrong = client.post(reverse("accounts:second_factor_enrol"), {"code": "000000", "next": "/certificats/"})
    assert wrong.status_code == 400 and "Code incorrect" in wrong.content.decode()
    device = TOTPDevice.objects.get(user=certifier)
    assert not device.confirmed
    throttled = client.post(reverse("accounts:second_factor_enrol"), {"code": current_code(device)})
    assert throttled.status_code == 400 and "attendez quelques secondes" in throttled.content.decode()
    later()  # django-otp makes a try after a wrong code wait
    device.refresh_from_db()
    done = client.post(reverse("accounts:second_factor_enrol"), {"code": current_code(device), "next": "/certificats/"})
    assert done.status_code == 302
    codes_page = client.get(done["Location"]).content.decode()
    codes = re.findall(r"<code>(\w+)</code>", codes_page)
    assert len(codes) == second_factor.RECOVERY_CODES and 'href="/certificats/"' in codes_page
    assert not re.findall(r"<code>(\w+)</code>", client.get(done["Location"]).content.decode())  # shown once
    assert client.get(reverse("certificates:list")).status_code == 200


def test_a_code_is_asked_at_each_login_and_never_twice(client, later):
    organiser = member(OrganisationKind.JURY_ORGANISER, Role.JURY_ORGANISER)
    device = device_of(organiser)
    response = log_in(client, organiser)
    assert response["Location"].startswith(reverse("accounts:second_factor_verify"))
    assert client.get(reverse("jury:create")).status_code == 302
    assert client.post(reverse("accounts:second_factor_verify"), {"code": "123456"}).status_code == 400
    later()
    device.refresh_from_db()
    code = current_code(device)
    assert client.post(reverse("accounts:second_factor_verify"), {"code": code}).status_code == 302
    assert client.get(reverse("jury:create")).status_code == 200
    client.post(reverse("accounts:logout"))
    log_in(client, organiser)
    replayed = client.post(reverse("accounts:second_factor_verify"), {"code": code})
    assert replayed.status_code == 400 and "déjà utilisé" in replayed.content.decode()
    assert client.get(reverse("jury:create")).status_code == 302


def test_a_recovery_code_works_once(client):
    certifier = member(OrganisationKind.CERTIFIER, Role.CERTIFIER_OFFICER)
    device_of(certifier)
    [recovery, *_] = second_factor.new_recovery_codes(certifier)
    log_in(client, certifier)
    assert client.post(reverse("accounts:second_factor_verify"), {"code": recovery}).status_code == 302
    assert not StaticToken.objects.filter(token=recovery).exists()
    client.post(reverse("accounts:logout"))
    log_in(client, certifier)
    assert client.post(reverse("accounts:second_factor_verify"), {"code": recovery}).status_code == 400


def test_the_api_says_why_in_french(client):
    certifier = member(OrganisationKind.CERTIFIER, Role.CERTIFIER_OFFICER)
    log_in(client, certifier)
    response = client.get("/api/v1/certificates/")
    assert response.status_code == 403 and "Double authentification requise" in response.json()["detail"]


def test_anyone_may_turn_it_on_and_off_but_not_a_sensitive_role(client, later):
    evaluator = member(OrganisationKind.EVALUATOR, Role.EVALUATOR)
    log_in(client, evaluator)
    assert client.get(reverse("dossiers:list")).status_code == 200  # not required: no code asked
    client.get(reverse("accounts:second_factor_enrol"))
    device = TOTPDevice.objects.get(user=evaluator)
    client.post(reverse("accounts:second_factor_enrol"), {"code": current_code(device)})
    assert second_factor.is_enrolled(evaluator)
    client.post(reverse("accounts:logout"))
    log_in(client, evaluator)  # enrolled by choice: the code is asked from now on
    assert client.get(reverse("dossiers:list"))["Location"].startswith(reverse("accounts:second_factor_verify"))
    later()
    device.refresh_from_db()
    client.post(reverse("accounts:second_factor_verify"), {"code": current_code(device)})
    assert client.get(reverse("dossiers:list")).status_code == 200
    assert client.post(reverse("accounts:second_factor_off")).status_code == 302
    assert not second_factor.is_enrolled(evaluator)

    certifier = member(OrganisationKind.CERTIFIER, Role.CERTIFIER_OFFICER)
    client.post(reverse("accounts:logout"))
    log_in(client, certifier)
    client.post(reverse("accounts:second_factor_verify"), {"code": current_code(device_of(certifier))})
    assert client.post(reverse("accounts:second_factor_off")).status_code == 403
    assert second_factor.is_enrolled(certifier)


def test_a_lost_device_is_reset_by_a_certifier_administrator_and_recorded(client, django_capture_on_commit_callbacks):
    admin = member(OrganisationKind.CERTIFIER, Role.ADMIN)
    organiser = member(OrganisationKind.JURY_ORGANISER, Role.JURY_ORGANISER)
    device_of(organiser)
    left_open = Client()  # the organiser's browser on the lost phone, still logged in
    left_open.force_login(organiser)
    log_in(client, admin)
    client.post(reverse("accounts:second_factor_verify"), {"code": current_code(device_of(admin))})
    url = reverse("accounts:second_factor_reset", args=[organiser.public_id])
    assert client.post(url, {"reason": ""}).status_code == 400 and second_factor.is_enrolled(organiser)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"reason": "Téléphone perdu, identité vérifiée par téléphone"}).status_code == 302
    assert not second_factor.is_enrolled(organiser)
    enrol_page = left_open.get(reverse("accounts:second_factor_enrol"))
    assert enrol_page.status_code == 302 and enrol_page["Location"].startswith(reverse("accounts:login"))
    reset = SecondFactorReset.objects.get()
    assert (reset.user, reset.by) == (organiser, admin) and "perdu" in reset.reason
    assert mail.outbox[-1].to == [organiser.email]
    assert client.get(reverse("accounts:second_factor_reset", args=[admin.public_id])).status_code == 404  # not self


@pytest.mark.parametrize(
    ("kind", "role"), [(OrganisationKind.CERTIFIER, Role.CERTIFIER_OFFICER), (OrganisationKind.EVALUATOR, Role.ADMIN)]
)
def test_others_may_not_reset(client, kind, role):
    person = member(kind, role)
    target = member(OrganisationKind.JURY_ORGANISER, Role.JURY_ORGANISER)
    device_of(target)
    log_in(client, person)
    if second_factor.required_for(person):
        client.post(reverse("accounts:second_factor_verify"), {"code": current_code(device_of(person))})
    url = reverse("accounts:second_factor_reset", args=[target.public_id])
    assert client.post(url, {"reason": "Essai"}).status_code == 403
    assert second_factor.is_enrolled(target) and not SecondFactorReset.objects.exists()


def test_the_jury_member_of_a_certifier_is_unaffected(client):
    """A person with a non-sensitive role in one organisation and none elsewhere logs in as before."""
    person = MembershipFactory(role=Role.JURY_MEMBER).user
    assert log_in(client, person).status_code == 200


def test_the_admin_neither_shows_nor_changes_second_factors():
    from django.contrib import admin

    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticToken.device.field.related_model)
