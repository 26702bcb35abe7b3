"""Public search of evaluator organisations habilitated today (docs/rules.md rule 10).

An organisation is listed for a place when one of its valid habilitations covers the place's region;
organisations located in the same commune, then the same département, come first.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When

from clea.geography.models import Commune, Departement, Region
from clea.organisations.models import Habilitation, Organisation, OrganisationKind
from clea.referentiel.models import Certification


@dataclass(frozen=True)
class Place:
    region: Region | None = None
    departement: Departement | None = None
    commune: Commune | None = None


def valid_habilitations(today: datetime.date, certification: Certification | None = None) -> QuerySet:
    habilitations = Habilitation.objects.valid_on(today)
    if certification is not None:
        habilitations = habilitations.filter(certification=certification)
    return habilitations


def search(place: Place, certification: Certification | None, today: datetime.date) -> QuerySet:
    habilitations = valid_habilitations(today, certification).filter(organisation=OuterRef("pk"))
    region = place.region or (place.departement.region if place.departement else None)
    if place.commune is not None:
        region = place.commune.departement.region
    if region is not None:
        habilitations = habilitations.filter(regions=region)
    organisations = Organisation.objects.filter(Exists(habilitations), kind=OrganisationKind.EVALUATOR, is_active=True)
    proximity = [When(commune__departement__region=region, then=Value(2))] if region else []
    if place.departement is not None or place.commune is not None:
        departement = place.departement if place.departement is not None else place.commune.departement  # type: ignore[union-attr]
        proximity.insert(0, When(commune__departement=departement, then=Value(1)))
    if place.commune is not None:
        city = place.commune.parent or place.commune  # an arrondissement: its city is the same place
        proximity.insert(0, When(Q(commune=city) | Q(commune__parent=city), then=Value(0)))
    return (
        organisations.annotate(proximity=Case(*proximity, default=Value(3), output_field=IntegerField()))
        .select_related("commune__departement__region")
        .prefetch_related(
            Prefetch(
                "habilitations",
                queryset=valid_habilitations(today).select_related("certification").prefetch_related("regions"),
                to_attr="valid_habilitations",
            )
        )
        .order_by("proximity", "name", "pk")
    )
