"""The day the tests live on: the clock is frozen there (tests/conftest.py) and the builders date with it."""

import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=PARIS)
TODAY = NOW.date()
