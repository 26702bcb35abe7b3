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
