"""Find communes as people type them: a postcode, or a name in any spelling (``names.fold``)."""

from __future__ import annotations

import re

from django.db.models import F, QuerySet

from clea.geography.models import Commune
from clea.geography.names import fold

LIMIT = 10
# "Saint-Malo (35)", as the suggestions write a commune: the département narrows the name.
_with_departement = re.compile(r"^(?P<name>.*?)\s*\((?P<departement>2[AB]|\d{2,3})\)$", re.IGNORECASE)


def _ranked(communes: QuerySet[Commune], limit: int) -> list[Commune]:
    biggest_first = communes.select_related("departement__region", "parent").order_by(
        F("population").desc(nulls_last=True), "code"
    )
    return list(biggest_first[:limit])


def find_communes(text: str, limit: int = LIMIT) -> list[Commune]:
    """Exact key first ("vitre" is Vitré, "saint malo" Saint-Malo), else the names that start with it;
    arrondissements only when a number is typed ("paris 15", "marseille 1er"), never for a postcode."""
    text = text.strip()
    if text.isdigit():
        if len(text) != 5:
            return []
        return _ranked(Commune.objects.filter(postcodes__code=text, parent__isnull=True).distinct(), limit)
    communes = Commune.objects.all()
    suffix = _with_departement.match(text)
    if suffix:
        text = suffix["name"]
        communes = communes.filter(departement_id=suffix["departement"].upper())
    key = fold(text)
    if not key:
        return []
    if not any(c.isdigit() for c in key):
        communes = communes.filter(parent__isnull=True)
    return _ranked(communes.filter(search_name=key), limit) or _ranked(
        communes.filter(search_name__startswith=key), limit
    )
