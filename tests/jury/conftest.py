import datetime

import pytest

from clea.geography.models import Region
from clea.jury import services
from clea.organisations.models import OrganisationKind
from tests.factories import OrganisationFactory


@pytest.fixture
def jury_setting(cast, path_setting):
    """A Transitions Pro organiser in Bretagne with a planned CléA session and one member per college."""
    s = path_setting
    organiser_org, organiser = cast.jury_organisation, cast.jury_organiser
    session = services.create_session(
        organiser=organiser_org,
        date=datetime.date(2026, 11, 27),
        start=None,
        place="Rennes",
        remote=False,
        region=Region.objects.get(code="53"),
        certifications=[s["clea"]],
        by=organiser,
    )
    union = OrganisationFactory(kind=OrganisationKind.EMPLOYER, name="Syndicat")
    employer_rep = services.add_member(
        session, full_name="Alain Patron", college="employers", organisation=s["employer"]
    )
    employee_rep = services.add_member(
        session, full_name="Brigitte Salariée", college="employees", organisation=union, user=s["jury_member"]
    )
    neutral = services.add_member(session, full_name="Chloé Neutre", college="employers")
    return {
        **s,
        "organiser": organiser,
        "session": session,
        "employer_rep": employer_rep,
        "employee_rep": employee_rep,
        "neutral": neutral,
    }
