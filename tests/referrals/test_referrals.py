"""Referrals: a prescriber orients a person; the evaluator accepts (dossier opened) or declines."""

import datetime

import pytest
from django.urls import reverse

from clea.dossiers.models import Dossier
from clea.lib.errors import RuleViolation
from clea.referrals import services as referrals
from clea.referrals.models import Referral
from tests.dossiers.builders import TODAY

pytestmark = pytest.mark.django_db


def _payload(s, **overrides):
    data = {
        "certification": s["clea"].pk,
        "evaluator_organisation": str(s["organisation"].public_id),
        "birth_name": "Martin",
        "first_names": "Paul",
        "birth_date": "1985-03-02",
        "email": "",
        "phone": "",
        "candidate_status": "job_seeker",
        "note": "Souhaite un rendez-vous le matin",
        "consent": "on",
        "share_results": "on",
    }
    data.update(overrides)
    return data


def test_prescriber_refers_evaluator_accepts_prescriber_follows(client, path_setting):
    s = path_setting
    client.force_login(s["prescriber"])
    assert client.post(reverse("referrals:create"), _payload(s)).status_code == 302
    referral = Referral.objects.get()
    client.force_login(s["evaluator"])
    form = client.get(reverse("dossiers:open"), {"orientation": str(referral.public_id)})
    assert form.context["form"].initial["birth_name"] == "Martin"
    response = client.post(
        reverse("dossiers:open"),
        {
            "orientation": str(referral.public_id),
            "certification": s["clea"].pk,
            "birth_name": "Martin",
            "first_names": "Paul",
            "sex": "M",
            "birth_date": "1985-03-02",
            "birth_country": "99350",
            "address_line1": "1 rue de Brest",
            "postcode": "35000",
            "commune": "35238",
            "candidate_status": "job_seeker",
            "initiator": "self",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.dossier == dossier
    assert dossier.initiator == "prescriber" and dossier.prescriber == referral.prescriber
    client.force_login(s["prescriber"])
    page = client.get(reverse("referrals:list")).content.decode()
    assert "Acceptée : dossier ouvert" in page and "Information" in page


def test_non_habilitated_organisation_refused(client, path_setting):
    s = path_setting
    s["habilitation"].delete()
    client.force_login(s["prescriber"])
    response = client.post(reverse("referrals:create"), _payload(s))
    assert response.status_code == 400
    assert not Referral.objects.exists()
    with pytest.raises(RuleViolation, match="n'est pas habilité"):
        referrals.send_referral(
            prescriber=s["prescriber"].memberships.get().organisation,
            adviser=s["prescriber"],
            evaluator_organisation=s["organisation"],
            certification=s["clea"],
            candidate_status="job_seeker",
            consent=True,
            share_results=False,
            note="",
            today=TODAY,
            person={"birth_name": "A", "first_names": "B", "birth_date": datetime.date(1990, 1, 1)},
        )


def test_consent_required(client, path_setting):
    client.force_login(path_setting["prescriber"])
    response = client.post(reverse("referrals:create"), _payload(path_setting, consent=""))
    assert response.status_code == 400 and not Referral.objects.exists()


def test_decline_with_reason_visible_to_prescriber(client, path_setting):
    s = path_setting
    client.force_login(s["prescriber"])
    client.post(reverse("referrals:create"), _payload(s))
    referral = Referral.objects.get()
    client.force_login(s["evaluator"])
    client.post(reverse("referrals:decline", args=[referral.public_id]), {"reason": ""})
    assert Referral.objects.get().status == "sent"
    client.post(reverse("referrals:decline", args=[referral.public_id]), {"reason": "Complet jusqu'en mars"})
    client.force_login(s["prescriber"])
    assert "Complet jusqu&#x27;en mars" in client.get(reverse("referrals:list")).content.decode()


@pytest.mark.parametrize("name", ["prescriber", "evaluator", "outsider", "trainer", "certifier", "jury_member"])
def test_visibility_and_actions(client, path_setting, name):
    s = path_setting
    referral = referrals.send_referral(
        prescriber=s["prescriber"].memberships.get().organisation,
        adviser=s["prescriber"],
        evaluator_organisation=s["organisation"],
        certification=s["clea"],
        candidate_status="job_seeker",
        consent=True,
        share_results=False,
        note="",
        today=TODAY,
        person={"birth_name": "Martin", "first_names": "Paul", "birth_date": datetime.date(1985, 3, 2)},
    )
    client.force_login(s[name])
    listed = [r for r, _ in client.get(reverse("referrals:list")).context["rows"]]
    assert (referral in listed) == (name in {"prescriber", "evaluator", "certifier"})
    assert client.get(reverse("referrals:create")).status_code == (200 if name == "prescriber" else 403)
    decline = client.post(reverse("referrals:decline", args=[referral.public_id]), {"reason": "non"})
    assert decline.status_code == {"evaluator": 302, "prescriber": 403, "certifier": 403}.get(name, 404)
    assert (Referral.objects.get().status == "declined") == (name == "evaluator")


def test_results_shared_only_with_consent(client, path_setting):
    from tests.dossiers.builders import dossier_in_training

    s = path_setting
    dossier, _ = dossier_in_training(s)
    prescriber_org = s["prescriber"].memberships.get().organisation
    for share in (False, True):
        Referral.objects.all().delete()
        Referral.objects.create(
            prescriber=prescriber_org,
            adviser=s["prescriber"],
            evaluator_organisation=s["organisation"],
            certification=s["clea"],
            birth_name="Durand",
            first_names="Léa",
            birth_date=datetime.date(1990, 5, 17),
            candidate_status="job_seeker",
            consent_at=dossier.created_at,
            share_results=share,
            status="accepted",
            dossier=dossier,
        )
        client.force_login(s["prescriber"])
        page = client.get(reverse("referrals:list")).content.decode()
        assert ("Résultats partagés" in page) == share
