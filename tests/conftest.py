from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache

from clea.referentiel.models import ReferentielVersion, VersionStatus
from clea.referentiel.services import load_shipped_referentiels
from tests.cast import Cast, candidate_data
from tests.clock import NOW
from tests.cpf_settings import enter_cpf_settings
from tests.oidc import identity_provider, oidc_settings
from tests.second_factor import prove

__all__ = ["candidate_data", "identity_provider", "oidc_settings"]  # tests import it from here too; fixtures


@pytest.hookimpl(wrapper=True)
def pytest_collection(session):
    """Modules are imported on the frozen day too: a date computed at import (a parametrize argument
    from ``timezone.localdate()``) is the tests' day, not the real one."""
    with time_machine.travel(NOW, tick=True):
        return (yield)


@pytest.fixture(autouse=True)
def _frozen_clock(request):
    """Every test lives on tests/clock.NOW (27 November 2026, 10:00 in Paris), the day the builders date
    with: a fixed date in a test never meets the real clock. The clock ticks from there, so timeouts and
    durations still work. ``@pytest.mark.real_clock`` opts out.

    Browser journeys too: the live server's thread reads the same (process-wide) clock, and Chromium, on
    the real clock, keeps the session and CSRF cookies because Django sends them with a Max-Age."""
    if request.node.get_closest_marker("real_clock"):
        yield
        return
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def _second_factor_on_login(request, monkeypatch):
    """``force_login`` proves the second factor too, for the roles that need one (tests/second_factor.py);
    ``@pytest.mark.password_only`` logs in with the password alone."""
    if request.node.get_closest_marker("password_only"):
        return
    from django.test import Client

    original = Client._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        prove(self, user)

    monkeypatch.setattr(Client, "_login", _login)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture(scope="session")
def geography(django_db_setup, django_db_blocker):
    """Official geography, loaded once per test database (reference data, never modified)."""
    from clea.geography.loading import load_geography

    with django_db_blocker.unblock():
        load_geography()


@pytest.fixture(scope="module")
def geography_back_for_later_tests(django_db_setup, django_db_blocker):
    """For a module with transactional tests outside tests/e2e: their flush empties every table, the
    session-wide geography included; it is put back when the module ends, for the worker's later tests."""
    yield
    from django.db import connections

    from clea.geography.loading import load_geography

    with django_db_blocker.unblock():
        load_geography()
        connections.close_all()


@pytest.fixture
def referentiels(db):
    """CléA and provisional CléA numérique, loaded from the shipped files and in force."""
    load_shipped_referentiels(Path(settings.REFERENTIELS_DIR))
    enter_cpf_settings()
    return {
        v.certification.code: v
        for v in ReferentielVersion.objects.filter(status=VersionStatus.ACTIVE).select_related("certification")
    }


@pytest.fixture
def cast(db, request):
    """The named cast (tests/cast.py): the first circle at once, everyone and everything else on first use."""
    return Cast(request.getfixturevalue)


@pytest.fixture
def path_setting(cast, referentiels, geography):
    """The cast's evaluator organisation habilitated in Bretagne (Rennes), its training organisation and the
    employer, as a dict (``cast.setting``)."""
    return cast.setting


@pytest.fixture
def dossier_setup(cast, path_setting):
    """The cast's dossier: in training after a préalable with gaps, with the trainer's path."""
    return path_setting, cast.dossier, cast.evaluation, cast.training_path
