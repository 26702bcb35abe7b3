import pytest

from clea.geography.loading import load_geography
from clea.geography.models import Commune, Departement, Postcode, Region

pytestmark = pytest.mark.django_db


def _empty_geography():
    """Other tests may have loaded it in this database: start from nothing (rolled back after)."""
    Postcode.objects.all().delete()
    Commune.objects.filter(parent__isnull=False).delete()
    Commune.objects.all().delete()
    Departement.objects.all().delete()
    Region.objects.all().delete()


def test_official_geography_loads_once():
    _empty_geography()
    report = load_geography()
    assert (report.regions, report.departements) == (18, 101)
    assert report.communes > 34_000
    assert set(Region.objects.values_list("code", flat=True)) == {
        "84",
        "27",
        "53",
        "24",
        "94",
        "44",
        "32",
        "11",
        "28",
        "75",
        "76",
        "52",
        "93",
        "01",
        "02",
        "03",
        "04",
        "06",
    }
    assert Departement.objects.get(code="2A").region_id == "94"
    rennes = Commune.objects.get(postcodes__code="35000")
    assert rennes.name == "Rennes"
    assert Commune.objects.get(code="75101").parent_id == "75056"
    assert Postcode.objects.filter(code="97400", commune__departement__region="04").exists()
    assert load_geography().created == 0
