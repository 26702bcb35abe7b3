from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from clea.organisations.models import OrganisationKind, PrescriberType, Role
from clea.referentiel.models import ReferentielVersion, VersionStatus
from clea.referentiel.services import load_shipped_referentiels
from tests.factories import OrganisationFactory, member


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture(scope="session")
def geography(django_db_setup, django_db_blocker):
    """Official geography, loaded once per test database (reference data, never modified)."""
    from clea.geography.loading import load_geography

    with django_db_blocker.unblock():
        load_geography()


@pytest.fixture
def referentiels(db):
    """CléA and provisional CléA numérique, loaded from the shipped files and in force."""
    load_shipped_referentiels(Path(settings.REFERENTIELS_DIR))
    return {
        v.certification.code: v
        for v in ReferentielVersion.objects.filter(status=VersionStatus.ACTIVE).select_related("certification")
    }


@pytest.fixture
def cast(db):
    """The named cast of DESIGN.md §6: one user per situation, around one evaluator organisation."""
    evaluator_org = OrganisationFactory(kind=OrganisationKind.EVALUATOR, name="Évaluateur A")
    people = {
        "evaluator": member(OrganisationKind.EVALUATOR, Role.EVALUATOR, evaluator_org),
        "colleague": member(OrganisationKind.EVALUATOR, Role.EVALUATOR, evaluator_org),
        "org_admin": member(OrganisationKind.EVALUATOR, Role.ADMIN, evaluator_org),
        "outsider": member(OrganisationKind.EVALUATOR, Role.ADMIN),
        "trainer": member(OrganisationKind.TRAINING, Role.TRAINER),
        "prescriber": member(OrganisationKind.PRESCRIBER, Role.ADVISER, prescriber_type=PrescriberType.CEP),
        "jury_member": member(OrganisationKind.JURY_ORGANISER, Role.JURY_MEMBER),
        "certifier": member(OrganisationKind.CERTIFIER, Role.CERTIFIER_OFFICER),
    }
    people["organisation"] = evaluator_org
    return people


@pytest.fixture
def path_setting(cast, referentiels, geography):
    """An habilitated evaluator organisation in Bretagne, a training organisation, an employer."""
    import datetime

    from clea.geography.models import Commune, Region
    from tests.factories import HabilitationFactory

    rennes = Commune.objects.get(code="35238")
    organisation = cast["organisation"]
    organisation.commune, organisation.postcode = rennes, "35000"
    organisation.save()
    habilitation = HabilitationFactory(
        organisation=organisation,
        certification=referentiels["CLEA"].certification,
        valid_from=datetime.date(2024, 1, 1),
        valid_until=datetime.date(2032, 12, 31),
    )
    habilitation.regions.set([Region.objects.get(code="53")])
    trainer_membership = cast["trainer"].memberships.get()
    employer = OrganisationFactory(kind=OrganisationKind.EMPLOYER, name="Boulangerie Dupont")
    return {
        **cast,
        "rennes": rennes,
        "habilitation": habilitation,
        "training_org": trainer_membership.organisation,
        "employer": employer,
        "clea": referentiels["CLEA"].certification,
    }


def candidate_data(rennes, **overrides):
    import datetime

    data = {
        "birth_name": "Durand",
        "usage_name": "",
        "first_names": "Léa Marie",
        "sex": "F",
        "birth_date": datetime.date(1990, 5, 17),
        "birth_commune": rennes,
        "birth_country": "",
        "address_line1": "3 rue des Lilas",
        "address_line2": "",
        "postcode": "35000",
        "commune": rennes,
        "email": "lea.durand@exemple.fr",
        "phone": "0601020304",
    }
    data.update(overrides)
    return data
