"""End to end with the real jury services: deliberate, close (signed minutes), then issue."""

import datetime

import pytest

from clea.certificates import services
from clea.certificates.models import Certificate
from clea.geography.models import Region
from clea.jury import services as jury
from clea.lib.errors import Conflict
from tests.certificates.builders import dossier_awaiting_jury
from tests.clock import TODAY

pytestmark = pytest.mark.django_db


def test_a_session_deliberated_and_closed_by_the_jury_services_is_issued(cast, path_setting):
    s = path_setting
    organiser_org, organiser = cast.jury_organisation, cast.jury_organiser
    session = jury.create_session(
        organiser=organiser_org,
        date=TODAY,  # the jury sits today: decisions and minutes are signed on the day
        start=None,
        place="Rennes",
        remote=False,
        region=Region.objects.get(code="53"),
        certifications=[s["clea"]],
        by=organiser,
    )
    members = [
        jury.add_member(session, full_name="Alain Patron", college="employers"),
        jury.add_member(session, full_name="Brigitte Salariée", college="employees"),
    ]
    jury.record_attendance(session, present_ids={m.pk for m in members}, by=organiser)
    awarded, refused = dossier_awaiting_jury(s), dossier_awaiting_jury(s)
    first, second = jury.put_on_session(session, [awarded, refused], by=organiser)
    jury.decide(first, outcome="awarded", reasons="", votes_for=2, by=organiser)
    jury.decide(second, outcome="not_awarded", reasons="Absent à l'entretien", votes_for=2, by=organiser)
    with pytest.raises(Conflict, match="pas close"):
        services.issue_for_session(session, by=s["certifier"])
    jury.close_session(session, by=organiser)
    (certificate,) = services.issue_for_session(session, by=s["certifier"])
    assert certificate.dossier == awarded
    assert certificate.number == "CLEA-2026-000001"
    assert certificate.awarded_on == datetime.date(2026, 11, 27)
    assert Certificate.objects.count() == 1
