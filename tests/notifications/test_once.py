"""Nothing is sent twice: a retried or overlapping delivery, digest or daily reminder run sends nothing more."""

import datetime

import pytest
from django.core import mail

from clea.dossiers.models import DeadlineReminder
from clea.dossiers.services import remind_deadlines
from clea.notifications import sending
from clea.notifications.models import DigestItem, DigestSetting, Sent
from tests.dossiers.builders import dossier_in_training

pytestmark = pytest.mark.django_db


def test_a_delivery_run_twice_sends_each_e_mail_once(path_setting):
    s = path_setting
    args = ("dossier_opened", "Sujet", "Corps", [s["evaluator"].pk, s["colleague"].pk], ["lea@exemple.fr"], None)
    assert sending.deliver.call(*args, "cle-1") == 3
    assert sending.deliver.call(*args, "cle-1") == 0
    assert len(mail.outbox) == 3 and Sent.objects.filter(key="cle-1").count() == 3
    # Another notification (another key) to the same people is sent.
    assert sending.deliver.call(*args, "cle-2") == 3


def test_a_failed_send_is_not_recorded_so_the_retry_sends_it(path_setting, monkeypatch):
    s = path_setting
    real = sending.send_mail
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise ConnectionError("SMTP indisponible")
        return real(*args, **kwargs)

    monkeypatch.setattr(sending, "send_mail", flaky)
    args = ("dossier_opened", "Sujet", "Corps", [s["evaluator"].pk, s["colleague"].pk], [], None, "cle-3")
    with pytest.raises(ConnectionError):
        sending.deliver.call(*args)
    assert len(mail.outbox) == 1 and Sent.objects.filter(key="cle-3").count() == 1
    assert sending.deliver.call(*args) == 1  # the retry sends only the missing one
    assert len(mail.outbox) == 2


def test_digests_go_once_even_when_the_daily_run_repeats(path_setting):
    s = path_setting
    DigestSetting.objects.create(organisation=s["organisation"], daily_digest=True)
    args = ("dossier_opened", "Sujet", "Corps", [s["evaluator"].pk], [], s["organisation"].pk, "cle-4")
    sending.deliver.call(*args)
    sending.deliver.call(*args)
    assert DigestItem.objects.count() == 1 and not mail.outbox
    assert sending.send_digests() == 1
    assert sending.send_digests() == 0
    assert len(mail.outbox) == 1


def test_reminders_once_per_step_and_caught_up_after_a_missed_day(path_setting, django_capture_on_commit_callbacks):
    s = path_setting
    dossier, _ = dossier_in_training(s)
    assert dossier.deadline == datetime.date(2031, 11, 27)
    with django_capture_on_commit_callbacks(execute=True):
        # The scheduler was down on 27 May 2031: the 6-month reminder goes out on the 29th, once.
        assert remind_deadlines(datetime.date(2031, 5, 26)) == 0
        assert remind_deadlines(datetime.date(2031, 5, 29)) == 1
        assert remind_deadlines(datetime.date(2031, 5, 29)) == 0
        assert remind_deadlines(datetime.date(2031, 5, 30)) == 0
        assert remind_deadlines(datetime.date(2031, 10, 27)) == 1
    assert list(DeadlineReminder.objects.values_list("months_before", flat=True).order_by("months_before")) == [1, 6]
    # Beyond the catch-up week, a missed reminder is not sent late.
    assert remind_deadlines(datetime.date(2031, 6, 10)) == 0
