"""The frozen clock of tests/conftest.py: every test lives on tests/clock.NOW unless marked real_clock."""

import datetime
import time

import pytest
import time_machine
from django.utils import timezone

from tests.clock import NOW, TODAY
from tests.dossiers import builders


def test_the_clock_stands_on_the_builders_day():
    assert timezone.localdate() == TODAY == builders.TODAY
    assert datetime.timedelta(0) <= timezone.now() - NOW < datetime.timedelta(minutes=5)


def test_the_frozen_clock_still_ticks():
    first = timezone.now()
    while timezone.now() == first:
        pass
    assert timezone.now() > first


@pytest.mark.real_clock
def test_a_test_marked_real_clock_reads_the_real_time():
    assert not time_machine.escape_hatch.is_travelling()
    real = datetime.datetime.fromtimestamp(time.time(), tz=datetime.UTC)
    assert abs(timezone.now() - real) < datetime.timedelta(minutes=1)
