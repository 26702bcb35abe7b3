"""Slots and e-mails of the information meeting: builders shared by the meetings tests."""

import datetime

import pytest
from django.core import mail

from clea.meetings import services, slots
from tests.clock import NOW


def at(days: int, hour: int = 14) -> datetime.datetime:
    """``days`` after the tests' day, at ``hour`` in Paris."""
    return (NOW + datetime.timedelta(days=days)).replace(hour=hour, minute=0)


@pytest.fixture
def publish(cast, path_setting):
    """Publish a slot of the cast's evaluator organisation (collective, 6 places, in three days)."""

    def publish(**overrides):
        data = {
            "organisation": cast.organisation,
            "starts_at": at(3),
            "duration_minutes": 60,
            "kind": "collective",
            "capacity": 6,
            "remote": False,
            "place": "2 rue de Paris, 35000 Rennes",
            "link": "",
            "certification": None,
            "by": cast.evaluator,
        }
        data.update(overrides)
        return slots.publish_slot(**data)

    return publish


@pytest.fixture
def ask(cast, path_setting):
    """Another person's request to the cast's organisation."""

    def ask(first_name="Nadia", email="nadia@exemple.fr", phone=""):
        return services.submit_request(
            organisation=cast.organisation,
            certification=None,
            first_name=first_name,
            last_name="Martin",
            email=email,
            phone=phone,
            preferred_times="",
            consent=True,
            today=NOW.date(),
        )

    return ask


@pytest.fixture
def outbox(django_capture_on_commit_callbacks):
    """Run ``action`` as if its transaction committed; answer the e-mails it sent."""

    def sent(action):
        mail.outbox = getattr(mail, "outbox", [])
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        return result, mail.outbox[before:]

    return sent
