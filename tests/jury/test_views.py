"""Jury screens: who may see (others 404), who may act (others 403), and the organiser's journey."""

import pytest
from django.urls import reverse

from clea.dossiers.models import Dossier
from clea.jury.models import JuryMember
from tests.dossiers.builders import dossier_awaiting_jury

pytestmark = pytest.mark.django_db
CAST = ["organiser", "jury_member", "evaluator", "outsider", "trainer", "certifier"]
SEE = {"organiser", "jury_member", "certifier"}


@pytest.mark.parametrize("name", CAST)
def test_session_pages(client, jury_setting, name):
    j = jury_setting
    client.force_login(j[name])
    session = j["session"]
    for view in ("jury:detail", "jury:minutes"):
        response = client.get(reverse(view, args=[session.public_id]))
        assert response.status_code == (200 if name in SEE else 404)
    listed = client.get(reverse("jury:list")).context["page_obj"]
    assert (session in list(listed)) == (name in SEE)


@pytest.mark.parametrize("name", CAST)
def test_actions_reserved_to_the_organiser(client, jury_setting, name):
    j = jury_setting
    client.force_login(j[name])
    response = client.post(
        reverse("jury:member_add", args=[j["session"].public_id]),
        {"full_name": "Nouveau Membre", "college": "employees"},
    )
    expected = 302 if name == "organiser" else (403 if name in SEE else 404)
    assert response.status_code == expected
    assert JuryMember.objects.filter(full_name="Nouveau Membre").exists() == (name == "organiser")


@pytest.mark.parametrize("name", CAST)
def test_create_session_reserved_to_organisers(client, jury_setting, name):
    client.force_login(jury_setting[name])
    assert client.get(reverse("jury:create")).status_code == (200 if name == "organiser" else 403)


def test_organiser_journey_through_the_screens(client, jury_setting):
    j = jury_setting
    dossier = dossier_awaiting_jury(j)
    client.force_login(j["organiser"])
    url = reverse("jury:detail", args=[j["session"].public_id])
    page = client.get(url)
    assert dossier in list(page.context["awaiting"])
    assert "Quorum non atteint" in page.content.decode()
    client.post(reverse("jury:put_on_session", args=[j["session"].public_id]), {"dossiers": [str(dossier.public_id)]})
    members = [j["employer_rep"].pk, j["employee_rep"].pk]
    client.post(reverse("jury:attendance", args=[j["session"].public_id]), {"present": members})
    assert "Quorum atteint" in client.get(url).content.decode()
    client.post(reverse("jury:award_clean", args=[j["session"].public_id]))
    assert Dossier.objects.get(pk=dossier.pk).state == "certified"
    response = client.post(reverse("jury:close", args=[j["session"].public_id]), follow=True)
    assert "procès-verbal est signé" in response.content.decode()
    pdf = client.get(reverse("jury:minutes", args=[j["session"].public_id]))
    assert pdf.content.startswith(b"%PDF")
    import hashlib

    j["session"].refresh_from_db()
    assert hashlib.sha256(pdf.content).hexdigest() == j["session"].minutes_sha256


def test_list_query_count(client, jury_setting, django_assert_max_num_queries):
    client.force_login(jury_setting["organiser"])
    with django_assert_max_num_queries(8):
        client.get(reverse("jury:list"))


def test_waiting_dossiers_come_a_page_at_a_time(client, jury_setting, monkeypatch):
    """A big region has hundreds waiting: the session page shows a page of them, oldest first."""
    from clea.jury import views

    monkeypatch.setattr(views, "AWAITING_PAGE_SIZE", 2)
    j = jury_setting
    waiting = [dossier_awaiting_jury(j, birth_name=name) for name in ("Alaoui", "Bernard", "Collin")]
    client.force_login(j["organiser"])
    url = reverse("jury:detail", args=[j["session"].public_id])
    first, second = client.get(url), client.get(url, {"page": 2})
    assert list(first.context["awaiting"]) == waiting[:2]
    assert list(second.context["awaiting"]) == waiting[2:]
    assert "3 dossiers en attente" in first.content.decode()
    assert "page 1 sur 2" in first.content.decode()
    # Putting on the session takes the posted ones, even those of another page.
    client.post(
        reverse("jury:put_on_session", args=[j["session"].public_id]),
        {"dossiers": [str(waiting[2].public_id), "pas-un-uuid"]},
    )
    assert list(j["session"].entries.values_list("dossier", flat=True)) == [waiting[2].pk]
