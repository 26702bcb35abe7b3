"""Candidate space: invitation link (once, before expiry), own dossiers only, documents, consents, data."""

import datetime
import json
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from clea.candidates.models import CandidateAccount
from clea.referrals.models import Referral
from tests.dossiers.builders import dossier_in_training, open_dossier

pytestmark = pytest.mark.django_db
PASSWORD = "un-mot-de-passe-solide-2026"


def _invite(client, s, dossier, capture):
    """Invite through the screen; the e-mail leaves after the transaction commits."""
    client.force_login(s["evaluator"])
    mail.outbox.clear()
    with capture(execute=True):
        assert client.post(reverse("candidates:invite", args=[dossier.public_id])).status_code == 302
    [message] = mail.outbox
    return re.search(r"https?://\S+/espace/activation/\S+/", message.body).group(0)


def test_invitation_activation_and_step(client, path_setting, django_capture_on_commit_callbacks):
    s = path_setting
    dossier, _ = dossier_in_training(s)
    link = _invite(client, s, dossier, django_capture_on_commit_callbacks)
    client.logout()
    path = link.split("testserver")[-1]
    page = client.get(path)
    assert page.status_code == 200 and "lea.durand@exemple.fr" in page.content.decode()
    response = client.post(path, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("candidates:home")
    home = client.get(reverse("candidates:home")).content.decode()
    assert "Étape 3 sur 5" in home and "Ce qu'il reste à apprendre" in home
    assert "27 novembre 2031" in home
    assert client.get(reverse("candidates:results_pdf", args=[dossier.public_id])).content.startswith(b"%PDF")
    skills = client.get(reverse("candidates:skills_record_pdf", args=[dossier.public_id]))
    assert skills.content.startswith(b"%PDF")
    # Used twice: refused with a clear message.
    client.logout()
    again = client.get(path)
    assert again.status_code == 409 and "déjà servi" in again.content.decode()


def test_expired_and_unknown_links(client, path_setting, django_capture_on_commit_callbacks):
    s = path_setting
    dossier = open_dossier(s)
    link = _invite(client, s, dossier, django_capture_on_commit_callbacks)
    client.logout()
    path = link.split("testserver")[-1]
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=15)):
        response = client.post(path, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 409 and "expiré" in response.content.decode()
    assert not CandidateAccount.objects.exists()
    assert client.get("/espace/activation/pas-un-vrai-jeton/").status_code == 404


def test_weak_password_refused(client, path_setting, django_capture_on_commit_callbacks):
    s = path_setting
    dossier = open_dossier(s)
    path = _invite(client, s, dossier, django_capture_on_commit_callbacks).split("testserver")[-1]
    client.logout()
    response = client.post(path, {"password1": "court", "password2": "court"})
    assert response.status_code == 400 and not CandidateAccount.objects.exists()


def _activated(client, s, dossier, django_capture_on_commit_callbacks):
    path = _invite(client, s, dossier, django_capture_on_commit_callbacks).split("testserver")[-1]
    client.logout()
    client.post(path, {"password1": PASSWORD, "password2": PASSWORD})


def test_candidate_sees_only_own_dossier(client, path_setting, django_capture_on_commit_callbacks):
    s = path_setting
    mine, _ = dossier_in_training(s)
    other = open_dossier(s, birth_name="Autre")
    _activated(client, s, mine, django_capture_on_commit_callbacks)
    assert client.get(reverse("candidates:results_pdf", args=[other.public_id])).status_code == 404
    # Professional screens are not the candidate's.
    assert client.get(reverse("dossiers:detail", args=[mine.public_id])).status_code == 404
    data = json.loads(client.get(reverse("candidates:my_data")).content)
    assert data["identite"]["nom_de_naissance"] == "Durand"
    assert len(data["dossiers"]) == 1 and len(data["dossiers"][0]["evaluations"][0]["resultats"]) == 106


def test_consent_to_share_results(client, path_setting, django_capture_on_commit_callbacks):
    s = path_setting
    dossier, _ = dossier_in_training(s)
    referral = Referral.objects.create(
        prescriber=s["prescriber"].memberships.get().organisation,
        adviser=s["prescriber"],
        evaluator_organisation=s["organisation"],
        certification=s["clea"],
        birth_name="Durand",
        first_names="Léa",
        birth_date=datetime.date(1990, 5, 17),
        candidate_status="job_seeker",
        consent_at=dossier.created_at,
        share_results=False,
        status="accepted",
        dossier=dossier,
    )
    _activated(client, s, dossier, django_capture_on_commit_callbacks)
    client.post(reverse("candidates:share_results", args=[dossier.public_id]), {"share": "oui"})
    referral.refresh_from_db()
    assert referral.share_results


def test_invitation_needs_an_email(client, path_setting):
    s = path_setting
    dossier = open_dossier(s)
    dossier.candidate.email = ""
    dossier.candidate.save()
    client.force_login(s["evaluator"])
    response = client.post(reverse("candidates:invite", args=[dossier.public_id]), follow=True)
    assert "adresse e-mail du candidat" in response.content.decode()


@pytest.mark.parametrize("name", ["outsider", "trainer", "prescriber"])
def test_others_cannot_invite(client, path_setting, name):
    dossier = open_dossier(path_setting)
    client.force_login(path_setting[name])
    assert client.post(reverse("candidates:invite", args=[dossier.public_id])).status_code == 404
