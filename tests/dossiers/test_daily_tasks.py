import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from clea.dossiers.models import Dossier
from tests.dossiers.builders import dossier_in_training

pytestmark = pytest.mark.django_db


def test_daily_command_expires_overdue_dossiers(path_setting):
    dossier, _ = dossier_in_training(path_setting)
    assert dossier.deadline == datetime.date(2031, 11, 27)
    with time_machine.travel(datetime.datetime(2031, 11, 27, 12, tzinfo=datetime.UTC)):
        call_command("run_daily_tasks", stdout=io.StringIO())
    assert Dossier.objects.get(pk=dossier.pk).state == "training"
    with time_machine.travel(datetime.datetime(2031, 11, 28, 12, tzinfo=datetime.UTC)):
        out = io.StringIO()
        call_command("run_daily_tasks", stdout=out)
    dossier.refresh_from_db()
    assert dossier.state == "expired"
    assert dossier.events.filter(kind="expired", by__isnull=True).exists()
    assert "expire_overdue_dossiers" in out.getvalue()
