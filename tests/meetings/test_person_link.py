"""The person, without an account, chooses, changes or cancels their meeting from the signed link of
their e-mails; the link carries nothing personal, and a forged or expired one opens nothing."""

import datetime
import re
import uuid

import pytest
import time_machine
from django.core import signing
from django.urls import reverse

from clea.meetings import services, slots
from clea.meetings.links import MAX_AGE_DAYS, SALT, token_for
from clea.meetings.models import MeetingBooking
from tests.clock import NOW
from tests.meetings.conftest import at

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/reunions/ma-reunion/[^/\s]+/")


def link_in(message) -> str:
    return LINK.search(message.body).group(0)


def test_the_person_books_a_slot_from_the_link_of_their_e_mail(client, cast, publish, ask, outbox):
    slot = publish()
    request, [received] = outbox(ask)
    link = link_in(received)
    assert "nadia" not in link.lower() and "martin" not in link.lower() and str(request.public_id) not in link
    page = client.get(link)
    assert page.status_code == 200 and slot.place in page.content.decode()

    response, [booked] = outbox(lambda: client.post(link, {"slot": str(slot.public_id)}))
    assert response.status_code == 302
    booking = MeetingBooking.objects.get(request=request)
    assert (booking.slot, booking.booked_by) == (slot, None)
    request.refresh_from_db()
    assert (request.status, request.proposed_for, request.handled_by) == ("proposed", slot.starts_at, None)
    assert booked.to == ["nadia@exemple.fr"]
    assert "30 novembre 2026 à 14:00" in booked.subject
    assert "2 rue de Paris, 35000 Rennes" in booked.body and link_in(booked)
    assert "Votre réunion" in client.get(link).content.decode()


def test_a_full_slot_chosen_from_the_link_is_refused_plainly(client, cast, publish, ask):
    slot = publish(kind="individual", capacity=1)
    slots.book(cast.meeting_request, slot, by=cast.evaluator)
    request = ask()
    response = client.post(
        reverse("meetings:person", args=[token_for(request.public_id)]), {"slot": str(slot.public_id)}
    )
    assert response.status_code == 400
    assert "Ce créneau est complet" in response.content.decode()
    assert not request.bookings.exists()


def test_a_remote_slot_s_e_mail_gives_the_connection_link(cast, publish, outbox):
    slot, request = publish(remote=True, place="", link="https://visio.exemple.fr/salle-7"), cast.meeting_request
    _, [message] = outbox(lambda: slots.book(request, slot, by=cast.evaluator))
    assert "https://visio.exemple.fr/salle-7" in message.body and "À distance" in message.body


def test_a_date_proposed_is_e_mailed_with_the_link(cast, outbox):
    request = cast.meeting_request
    _, [message] = outbox(lambda: services.propose_meeting(request, when=at(4, 9), by=cast.evaluator))
    assert message.to == ["karim.benali@exemple.fr"]
    assert "1 décembre 2026 à 09:00" in message.subject and link_in(message)


def test_no_e_mail_for_a_person_reached_by_phone(cast, publish, ask, outbox):
    request, sent = outbox(lambda: ask(email="", phone="0601020304"))
    assert sent == []
    _, sent = outbox(lambda: slots.book(request, publish(), by=cast.evaluator))
    assert sent == []


def test_the_person_cancels_and_the_organisation_is_told(client, cast, publish, outbox):
    request = cast.meeting_request
    slots.book(request, publish(), by=cast.evaluator)
    url = reverse("meetings:person_cancel", args=[token_for(request.public_id)])
    response, sent = outbox(lambda: client.post(url))
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.proposed_for, services.pending_booking(request)) == ("new", None, None)
    assert {cast.evaluator.email, cast.colleague.email} <= {address for m in sent for address in m.to}
    assert all("Karim Benali a annulé" in m.body for m in sent)
    again = client.post(url, follow=True)
    assert "Aucune réunion n&#x27;est prévue" in again.content.decode()


@pytest.mark.parametrize("how", ["forged", "expired", "another-salt", "closed"])
def test_a_bad_link_opens_nothing_and_says_why(client, cast, publish, how):
    request = cast.meeting_request
    slot = publish()
    token = token_for(request.public_id)
    message = "Ce lien n&#x27;est pas valide ou a expiré"
    if how == "forged":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    elif how == "another-salt":
        token = signing.dumps(str(request.public_id), salt="clea.candidates.invitation", compress=True)
    elif how == "closed":
        services.close_request(request, by=cast.evaluator)
        message = "Cette demande est déjà traitée"
    url = reverse("meetings:person", args=[token])
    with time_machine.travel(NOW + datetime.timedelta(days=MAX_AGE_DAYS + 1 if how == "expired" else 0)):
        page = client.get(url)
        posted = client.post(url, {"slot": str(slot.public_id)})
    assert page.status_code == posted.status_code == 404
    assert message in page.content.decode()
    assert not MeetingBooking.objects.exists()


def test_the_link_is_signed_with_its_own_salt_and_holds_only_the_public_id():
    public_id = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert signing.loads(token_for(public_id), salt=SALT) == str(public_id)
