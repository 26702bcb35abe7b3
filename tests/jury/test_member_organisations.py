"""What a jury member may represent: the parties of the region's dossiers, not the whole country."""

import pytest
from django.urls import reverse

from clea.dossiers.models import Dossier
from clea.geography.models import Commune
from clea.jury import services
from clea.jury.models import JuryMember
from clea.organisations.models import OrganisationKind
from tests.dossiers.builders import dossier_awaiting_jury
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_choices_are_the_region_and_the_dossiers_parties(jury_setting):
    j = jury_setting
    session = j["session"]
    brest, lyon = Commune.objects.get(code="29019"), Commune.objects.get(code="69123")
    local_employer = OrganisationFactory(kind=OrganisationKind.EMPLOYER, commune=brest, name="Conserverie")
    far_evaluator = OrganisationFactory(kind=OrganisationKind.EVALUATOR, commune=lyon, name="Lyon Évaluation")
    local_trainer = OrganisationFactory(kind=OrganisationKind.TRAINING, commune=brest, name="Brest Formation")
    closed = OrganisationFactory(kind=OrganisationKind.EMPLOYER, commune=brest, is_active=False)
    bakery = j["employer"]  # no commune: a party only through its employee's dossier on the session

    dossier = dossier_awaiting_jury(j)
    Dossier.objects.filter(pk=dossier.pk).update(candidate_status="employee", employer=bakery)
    choices = set(services.member_organisations(session))
    assert {local_employer, j["organisation"]} <= choices  # the region's evaluators and employers
    assert not {far_evaluator, local_trainer, closed, bakery} & choices

    services.put_on_session(session, [dossier], by=j["organiser"])  # a party of a dossier on the session
    assert bakery in services.member_organisations(session)


def test_an_organisation_outside_the_choices_is_refused(client, jury_setting):
    j = jury_setting
    far = OrganisationFactory(kind=OrganisationKind.EMPLOYER, commune=Commune.objects.get(code="69123"))
    client.force_login(j["organiser"])
    url = reverse("jury:member_add", args=[j["session"].public_id])
    data = {"full_name": "Denis Lointain", "college": "employers"}
    response = client.post(url, {**data, "organisation": str(far.public_id)}, follow=True)
    assert "Membre non ajouté" in response.content.decode()
    assert not JuryMember.objects.filter(full_name="Denis Lointain").exists()
    client.post(url, {**data, "organisation": str(j["organisation"].public_id)})
    assert JuryMember.objects.get(full_name="Denis Lointain").organisation == j["organisation"]
