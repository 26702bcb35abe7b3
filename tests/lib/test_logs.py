"""Logs and error reports carry no personal data: masked e-mails, no names, no request bodies."""

import logging

import pytest

from clea.lib.logfilters import MASK, ScrubPersonalData, scrub
from clea.lib.monitoring import scrub_event
from tests.dossiers.builders import dossier_awaiting_jury


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("login failed for lea.durand@exemple.fr", f"login failed for {MASK}"),
        ("a+b@sub.domaine.gouv.fr et c@d.fr", f"{MASK} et {MASK}"),
        ("rien de personnel", "rien de personnel"),
        ("arobase seule @ ici", "arobase seule @ ici"),
    ],
)
def test_scrub(text, expected):
    assert scrub(text) == expected


def test_the_filter_masks_formatted_arguments():
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "invitation pour %s", ("lea@exemple.fr",), None)
    assert ScrubPersonalData().filter(record) is True
    assert record.getMessage() == f"invitation pour {MASK}"


def test_error_reports_lose_request_bodies_users_and_local_variables():
    event = {
        "request": {"url": "https://clea.example/dossiers/", "data": {"birth_name": "Durand"}, "cookies": {"s": "x"}},
        "user": {"email": "lea@exemple.fr"},
        "exception": {
            "values": [{"value": "Doublon : lea@exemple.fr", "stacktrace": {"frames": [{"vars": {"name": "Durand"}}]}}]
        },
    }
    cleaned = scrub_event(event)
    assert cleaned["request"] == {"url": "https://clea.example/dossiers/"}
    assert "user" not in cleaned
    value = cleaned["exception"]["values"][0]
    assert value["value"] == f"Doublon : {MASK}" and "vars" not in value["stacktrace"]["frames"][0]


@pytest.mark.django_db
def test_a_whole_path_logs_no_name_nor_e_mail(path_setting, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_awaiting_jury(path_setting, birth_name="Kervella")
    text = "\n".join(r.getMessage() for r in caplog.records)
    for personal in ("Kervella", "KERVELLA", dossier.candidate.email, dossier.candidate.first_names):
        assert personal not in text
