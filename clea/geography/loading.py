"""Load the committed geography CSV files into the database, idempotently and in bulk."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from clea.geography.models import Commune, Country, Departement, Postcode, Region
from clea.geography.names import fold

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class LoadReport:
    regions: int = 0
    departements: int = 0
    communes: int = 0
    postcodes: int = 0
    countries: int = 0

    @property
    def created(self) -> int:
        return self.regions + self.departements + self.communes + self.postcodes + self.countries


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def countries_from_data() -> list[Country]:
    """The countries of ``countries.csv`` (also read by the migration that created the table)."""
    return [
        Country(
            code=r["code"],
            name=r["name"],
            other_names=r["other_names"],
            search_name=fold(f"{r['name']} {r['other_names']}"),
        )
        for r in _rows("countries.csv")
    ]


def _create_missing(model, objects, key) -> int:
    existing = set(model.objects.values_list(key, flat=True))
    missing = [obj for obj in objects if getattr(obj, key) not in existing]
    model.objects.bulk_create(missing, batch_size=2000)
    return len(missing)


@transaction.atomic
def load_geography() -> LoadReport:
    """Create what is missing; a second run only reads (names of existing rows are left alone)."""
    report = LoadReport()
    report.regions = _create_missing(
        Region, [Region(code=r["code"], name=r["name"]) for r in _rows("regions.csv")], "code"
    )
    report.departements = _create_missing(
        Departement,
        [Departement(code=r["code"], name=r["name"], region_id=r["region_code"]) for r in _rows("departements.csv")],
        "code",
    )
    commune_rows = _rows("communes.csv")
    # Parents first: arrondissements reference their commune.
    commune_rows.sort(key=lambda r: bool(r["parent_code"]))
    report.communes = _create_missing(
        Commune,
        [
            Commune(
                code=r["code"],
                name=r["name"],
                search_name=fold(r["name"]),
                departement_id=r["departement_code"],
                parent_id=r["parent_code"] or None,
                population=int(r["population"]) if r["population"] else None,
            )
            for r in commune_rows
        ],
        "code",
    )
    existing_pairs = set(Postcode.objects.values_list("code", "commune_id"))
    postcodes = [
        Postcode(code=code, commune_id=r["code"])
        for r in commune_rows
        for code in r["postcodes"].split()
        if (code, r["code"]) not in existing_pairs
    ]
    Postcode.objects.bulk_create(postcodes, batch_size=5000)
    report.postcodes = len(postcodes)
    report.countries = _create_missing(Country, countries_from_data(), "code")
    return report
