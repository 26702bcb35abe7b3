"""Rule 10: a person asks for an information meeting on their own, without an account; the dossier is
opened only afterwards, if they agree, and a request closed without a dossier keeps nothing of them."""

import datetime
import time

import pytest
import time_machine
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from clea.dossiers.models import Dossier
from clea.lib.errors import Conflict, RuleViolation
from clea.meetings import services
from clea.meetings.forms import SALT
from clea.meetings.models import MeetingRequest

pytestmark = pytest.mark.django_db


def token(seconds_ago: float = 10) -> str:
    return signing.dumps(time.time() - seconds_ago, salt=SALT)


def payload(**overrides) -> dict:
    data = {
        "first_name": "Karim",
        "last_name": "Benali",
        "email": "karim@exemple.fr",
        "phone": "",
        "preferred_times": "le mardi matin",
        "certification": "CLEA",
        "consent": "on",
        "site_web": "",
        "jeton": token(),
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


@pytest.fixture
def listed(path_setting):
    return path_setting["organisation"]


def test_a_person_asks_from_the_directory(client, listed):
    directory_page = client.get(reverse("directory:detail", args=[listed.public_id])).content.decode()
    url = reverse("meetings:create", args=[listed.public_id])
    assert url in directory_page
    assert client.get(url).status_code == 200
    response = client.post(url, payload())
    assert response.status_code == 200 and "Demande envoyée" in response.content.decode()
    request = MeetingRequest.objects.get()
    assert (request.first_name, request.email, request.status, request.certification.code) == (
        "Karim",
        "karim@exemple.fr",
        "new",
        "CLEA",
    )
    assert not Dossier.objects.exists()  # nothing is opened before the meeting


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "", "phone": ""}, "Indiquez un e-mail ou un téléphone"),
        ({"consent": ""}, "Votre accord pour être recontacté est nécessaire."),
        ({"jeton": token(seconds_ago=0)}, "envoyé trop vite"),
        ({"jeton": "faux"}, "envoyé trop vite"),
        ({"site_web": "http://spam.example"}, "envoyé trop vite"),
    ],
    ids=["unreachable", "no-consent", "too-fast", "forged-token", "honeypot"],
)
def test_bad_or_robotic_requests_are_refused_plainly(client, listed, overrides, message):
    response = client.post(reverse("meetings:create", args=[listed.public_id]), payload(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not MeetingRequest.objects.exists()


def test_fifty_requests_from_one_connection_stop_at_five(client, listed):
    url = reverse("meetings:create", args=[listed.public_id])
    statuses = [client.post(url, payload(last_name=f"Essai{n}")).status_code for n in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    assert MeetingRequest.objects.count() == 5


def test_an_organisation_not_habilitated_today_takes_no_request(client, listed):
    listed.habilitations.all().delete()
    assert client.get(reverse("meetings:create", args=[listed.public_id])).status_code == 404


def test_the_organisation_proposes_a_date_then_opens_the_dossier_the_person_agreed_to(client, cast, listed):
    request = cast.meeting_request
    client.force_login(cast.evaluator)
    home = client.get(reverse("pages:dashboard"))
    titles = [q.title for q in home.context["queues"]]
    assert "Demandes de réunion d'information" in titles
    assert "Karim Benali" in client.get(reverse("meetings:list")).content.decode()

    when = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    client.post(reverse("meetings:propose", args=[request.public_id]), {"when": when})
    request.refresh_from_db()
    assert request.status == "proposed" and request.handled_by == cast.evaluator

    form = client.get(reverse("dossiers:open"), {"demande": str(request.public_id)})
    assert form.context["form"].initial["birth_name"] == "Benali"
    data = {
        "demande": str(request.public_id),
        "certification": cast.clea.pk,
        "birth_name": "Benali",
        "first_names": "Karim",
        "sex": "M",
        "birth_date": "1988-04-12",
        "birth_country": "99352",
        "address_line1": "2 rue de Paris",
        "postcode": "35000",
        "commune": "35238",
        "candidate_status": "job_seeker",
        "initiator": "self",
        "consent": "on",
    }
    response = client.post(reverse("dossiers:open"), data)
    assert response.status_code == 302, response.context["form"].errors
    request.refresh_from_db()
    assert request.status == "opened" and request.dossier.initiator == "self"
    assert request.dossier.candidate.birth_name == "Benali"
    again = client.get(reverse("dossiers:open"), {"demande": str(request.public_id)})
    assert again.status_code == 404


def test_closed_without_a_dossier_keeps_nothing_of_the_person(client, cast, listed):
    request = cast.meeting_request
    client.force_login(cast.colleague)
    client.post(reverse("meetings:close", args=[request.public_id]))
    request.refresh_from_db()
    assert (request.status, request.email, request.phone, request.preferred_times) == ("closed", "", "", "")
    assert "Karim" not in request.first_name and "Benali" not in request.last_name
    assert "Karim" not in client.get(reverse("meetings:list")).content.decode()
    with pytest.raises(Conflict, match="déjà traitée"):
        services.close_request(request, by=cast.colleague)


def test_a_date_in_the_past_is_refused(cast, listed):
    with pytest.raises(RuleViolation, match="date à venir"):
        services.propose_meeting(
            cast.meeting_request, when=timezone.now() - datetime.timedelta(hours=1), by=cast.evaluator
        )


def test_another_organisation_never_sees_the_request(client, cast, listed):
    request = cast.meeting_request
    client.force_login(cast.outsider)
    assert "Karim" not in client.get(reverse("meetings:list")).content.decode()
    assert client.post(reverse("meetings:close", args=[request.public_id])).status_code == 404
    assert MeetingRequest.objects.get(pk=request.pk).status == "new"


def test_the_page_carries_a_fresh_signed_token_a_person_can_post_back(client, listed):
    """The form's hidden token is what the page gives: a person who waits a few seconds is accepted."""
    import re

    page = client.get(reverse("meetings:create", args=[listed.public_id])).content.decode()
    signed = re.search(r'name="jeton" value="([^"]+)"', page).group(1)
    shown = signing.loads(signed, salt=SALT)
    assert abs(shown - time.time()) < 5
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=10), tick=False):
        response = client.post(reverse("meetings:create", args=[listed.public_id]), payload(jeton=signed))
    assert response.status_code == 200 and MeetingRequest.objects.count() == 1
