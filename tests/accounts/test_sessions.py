"""Issue 17, sessions: a sensitive role's session ends after 30 minutes without a request; each person
sees the browsers where they are logged in and can end the other ones."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clea.accounts.models import UserSession

pytestmark = pytest.mark.django_db


def after(minutes: int):
    return time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes), tick=True)


def test_a_sensitive_session_ends_after_30_idle_minutes(client, cast):
    client.force_login(cast.certifier)
    assert client.get(reverse("certificates:list")).status_code == 200
    with after(29):
        assert client.get(reverse("certificates:list")).status_code == 200
    with after(29 + 31):
        response = client.get(reverse("certificates:list"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
        assert "_auth_user_id" not in client.session


def test_other_roles_keep_the_usual_session(client, cast):
    client.force_login(cast.evaluator)
    with after(120):
        assert client.get(reverse("dossiers:list")).status_code == 200


def test_the_person_sees_their_sessions_and_ends_the_others(cast):
    desk, phone = Client(HTTP_USER_AGENT="Firefox bureau"), Client(HTTP_USER_AGENT="Safari téléphone")
    desk.force_login(cast.evaluator)
    phone.force_login(cast.evaluator)
    listing = desk.get(reverse("accounts:sessions")).content.decode()
    assert UserSession.objects.filter(user=cast.evaluator).count() == 2
    assert "cette session" in listing
    assert desk.post(reverse("accounts:sessions_end_others")).status_code == 302
    assert phone.get(reverse("dossiers:list")).status_code == 302  # logged out
    assert desk.get(reverse("dossiers:list")).status_code == 200
    assert UserSession.objects.filter(user=cast.evaluator).count() == 1


def test_no_one_ends_someone_elses_sessions(cast):
    other = Client()
    other.force_login(cast.colleague)
    mine = Client()
    mine.force_login(cast.evaluator)
    mine.post(reverse("accounts:sessions_end_others"))
    assert other.get(reverse("dossiers:list")).status_code == 200
    assert "Firefox" not in mine.get(reverse("accounts:sessions")).content.decode()


def test_the_list_keeps_no_address(cast):
    client = Client(HTTP_USER_AGENT="Mozilla/5.0", REMOTE_ADDR="203.0.113.7")
    client.force_login(cast.evaluator)
    client.get(reverse("dossiers:list"))
    fields = {f.name for f in UserSession._meta.get_fields()}
    assert not {"ip", "ip_address", "address"} & fields
    assert "203.0.113.7" not in str(list(UserSession.objects.values()))
