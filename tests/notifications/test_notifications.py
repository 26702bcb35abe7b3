"""E-mails for key events: sent after commit by a task, per-person opt-out, daily digests."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from clea.notifications.models import DigestItem, DigestSetting, Preference
from clea.notifications.sending import send_digests
from clea.referrals import services as referrals
from tests.dossiers.builders import TODAY, dossier_in_training, open_dossier

pytestmark = pytest.mark.django_db


def _refer(s):
    return referrals.send_referral(
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


def test_referral_received_goes_to_evaluators_after_commit(path_setting, django_capture_on_commit_callbacks):
    s = path_setting
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _refer(s)
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    recipients = {m.to[0] for m in mail.outbox}
    assert {s["evaluator"].email, s["colleague"].email, s["org_admin"].email} == recipients
    assert all(m.subject.startswith("[CléA] Nouvelle orientation") for m in mail.outbox)


def test_opt_out_is_respected(client, path_setting, django_capture_on_commit_callbacks):
    s = path_setting
    client.force_login(s["evaluator"])
    kinds = ["referral_answered", "dossier_opened"]  # everything but "referral_received"
    client.post(reverse("notifications:preferences"), {"kinds": kinds})
    assert Preference.objects.filter(user=s["evaluator"], kind="referral_received").exists()
    with django_capture_on_commit_callbacks(execute=True):
        _refer(s)
    assert s["evaluator"].email not in {m.to[0] for m in mail.outbox}
    assert s["colleague"].email in {m.to[0] for m in mail.outbox}


def test_daily_digest_for_organisations_that_chose_it(client, path_setting, django_capture_on_commit_callbacks):
    s = path_setting
    client.force_login(s["org_admin"])
    client.post(reverse("notifications:digest", args=[s["organisation"].public_id]), {"daily_digest": "on"})
    assert DigestSetting.objects.get(organisation=s["organisation"]).daily_digest
    with django_capture_on_commit_callbacks(execute=True):
        _refer(s)
        _refer(s)
    assert mail.outbox == []
    assert DigestItem.objects.filter(user=s["evaluator"]).count() == 2
    assert send_digests() == 3
    digest = next(m for m in mail.outbox if m.to == [s["evaluator"].email])
    assert "Résumé du jour (2)" in digest.subject
    assert send_digests() == 0


def test_candidate_without_account_gets_an_email_at_opening(path_setting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        open_dossier(path_setting)
    assert [m.to for m in mail.outbox] == [["lea.durand@exemple.fr"]]
    assert "ouvert" in mail.outbox[0].subject


def test_results_available_and_training_proposed(path_setting, django_capture_on_commit_callbacks):
    from tests.dossiers.builders import with_path

    with django_capture_on_commit_callbacks(execute=True):
        dossier, _ = dossier_in_training(path_setting)
        with_path(path_setting, dossier)
    subjects = [m.subject for m in mail.outbox]
    assert "[CléA] Vos résultats CléA sont disponibles" in subjects
    trainer_mail = [m for m in mail.outbox if m.to == [path_setting["trainer"].email]]
    assert trainer_mail and "Parcours de formation" in trainer_mail[0].subject


def test_deadline_reminders_six_months_and_one_month(path_setting, django_capture_on_commit_callbacks):
    from clea.dossiers.services import remind_deadlines

    dossier, _ = dossier_in_training(path_setting)
    assert dossier.deadline == datetime.date(2031, 11, 27)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_deadlines(datetime.date(2031, 5, 27)) == 1
        assert remind_deadlines(datetime.date(2031, 5, 28)) == 0
        assert remind_deadlines(datetime.date(2031, 10, 27)) == 1
    assert sum("date limite" in m.subject for m in mail.outbox) == 2


@pytest.mark.parametrize("name", ["evaluator", "outsider"])
def test_digest_setting_reserved_to_admins(client, path_setting, name):
    client.force_login(path_setting[name])
    response = client.post(
        reverse("notifications:digest", args=[path_setting["organisation"].public_id]), {"daily_digest": "on"}
    )
    assert response.status_code == (403 if name == "evaluator" else 404)
    assert not DigestSetting.objects.exists()
