import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from clea.accounts.models import User
from clea.campaigns.models import Application, ApplicationDocument
from clea.organisations.models import Habilitation, Membership, Organisation, PrescriberType
from clea.quality.models import AuditDocument

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Habilitation.objects.count(),
        ApplicationDocument.objects.count(),
    )


def test_demo_refused_without_debug(referentiels):
    with pytest.raises(CommandError, match="DEBUG est désactivé"):
        call_command("load_demo")
    assert _counts() == (0, 0, 0, 0, 0)


@override_settings(DEBUG=True)
def test_setup_demo_is_idempotent_and_covers_every_role():
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    first = _counts()
    assert "clea-demo-2026" in out.getvalue()
    call_command("setup_demo", stdout=io.StringIO())
    assert _counts() == first
    prescriber_types = set(Organisation.objects.exclude(prescriber_type="").values_list("prescriber_type", flat=True))
    assert prescriber_types == set(PrescriberType.values)
    roles = set(Membership.objects.values_list("role", flat=True))
    assert {
        "certifier_officer",
        "evaluator",
        "trainer",
        "adviser",
        "employer_contact",
        "jury_organiser",
        "jury_member",
        "admin",
    } <= roles
    regions = set(Habilitation.objects.values_list("regions__code", flat=True))
    assert len(regions) >= 4
    # The certifier has an application to instruct, with its pieces.
    application = Application.objects.get()
    assert (application.state, application.documents.count()) == ("submitted", 3)
    # And an audit with a drawn dossier already justified (the crawl follows its piece).
    assert AuditDocument.objects.count() == 1
    user = User.objects.get(email="evaluateur@demo.clea.fr")
    assert user.check_password("clea-demo-2026")
