import datetime
import uuid

import pytest

from clea.funding.models import FeeEntry, FeeKind
from clea.geography.models import Region
from clea.referentiel.models import RuleProfile
from tests.dossiers.builders import dossier_in_training, open_dossier
from tests.factories import HabilitationFactory


@pytest.fixture
def fee_setting(path_setting):
    """The cast's evaluator organisation with one closed préalable, hence one fee line (now)."""
    dossier, initial = dossier_in_training(path_setting)
    return {**path_setting, "dossier": dossier, "initial": initial, "entry": FeeEntry.objects.get()}


@pytest.fixture
def numerique(path_setting, referentiels):
    """CléA numérique in force with its rule-19 certificate fee (10 € HT), and an habilitation for it.

    ``update()`` bypasses the guard that keeps active profiles immutable: acceptable in a test fixture only.
    """
    version = referentiels["CLEA_NUMERIQUE"]
    RuleProfile.objects.filter(version=version).update(fee_certificate_cents=1000)
    habilitation = HabilitationFactory(
        organisation=path_setting["organisation"],
        certification=version.certification,
        valid_from=datetime.date(2024, 1, 1),
        valid_until=datetime.date(2032, 12, 31),
    )
    habilitation.regions.set([Region.objects.get(code="53")])
    return version.certification


@pytest.fixture
def numerique_dossier(path_setting, numerique):
    return open_dossier(path_setting, certification=numerique, birth_name="Martin")


def ledger_line(dossier, organisation, occurred_at, *, kind=FeeKind.INITIAL_ASSESSMENT, amount_cents=2000):
    """A ledger row written directly (for volume and list tests only; events go through ``record_fee``)."""
    return FeeEntry.objects.create(
        organisation=organisation,
        certification=dossier.certification,
        dossier=dossier,
        kind=kind,
        amount_cents=amount_cents,
        occurred_at=occurred_at,
        source=f"test:{uuid.uuid4()}",
    )
