"""Organisations are reminded before a habilitation ends, once per step, unless it is already renewed."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from clea.organisations import services
from clea.organisations.models import Habilitation
from clea.quality.models import HabilitationReminder
from clea.quality.reminders import remind_habilitation_ends

pytestmark = pytest.mark.django_db

D = datetime.date


def _subjects() -> list[str]:
    return [m.subject for m in mail.outbox if "habilitation" in m.subject]


def test_reminders_180_and_60_days_before_the_end_to_the_administrators(
    path_setting, django_capture_on_commit_callbacks
):
    s = path_setting
    assert s["habilitation"].valid_until == D(2032, 12, 31)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_habilitation_ends(D(2032, 7, 3)) == 0  # 181 days before
        assert remind_habilitation_ends(D(2032, 7, 4)) == 1
        assert remind_habilitation_ends(D(2032, 7, 4)) == 0  # the same day again
        assert remind_habilitation_ends(D(2032, 7, 5)) == 0
        assert remind_habilitation_ends(D(2032, 11, 2)) == 1
    assert _subjects() == ["[CléA] Votre habilitation CléA finit le 31/12/2032"] * 2
    assert {address for m in mail.outbox for address in m.to} == {s["org_admin"].email}
    assert "demande de renouvellement" in mail.outbox[0].body


@pytest.mark.parametrize(("run_on", "reminded"), [(D(2032, 7, 10), 1), (D(2032, 7, 11), 0)])
def test_a_missed_day_is_caught_up_within_a_week(path_setting, run_on, reminded):
    assert remind_habilitation_ends(run_on) == reminded
    assert HabilitationReminder.objects.count() == reminded


def test_no_reminder_when_a_later_habilitation_takes_over(path_setting):
    s = path_setting
    services.grant_habilitation(
        s["organisation"],
        certification=s["clea"],
        regions=s["habilitation"].regions.all(),
        valid_from=D(2033, 1, 1),
        valid_until=D(2037, 12, 31),
        by=s["certifier"],
    )
    assert remind_habilitation_ends(D(2032, 7, 4)) == 0


def test_no_reminder_for_a_withdrawn_habilitation(path_setting):
    Habilitation.objects.filter(pk=path_setting["habilitation"].pk).update(withdrawn_on=D(2032, 1, 1))
    assert remind_habilitation_ends(D(2032, 7, 4)) == 0


def test_the_daily_run_includes_the_reminders():
    from clea.lib.daily import daily_tasks

    assert "habilitation_end_reminders" in {task.name for task in daily_tasks()}
