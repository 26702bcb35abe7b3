"""Directory benchmark: the public search run for every commune of France, and over HTTP on a sample.

Prints the total time to search all communes, the median and p95 of one search, and the queries of one
HTTP search (the same for every commune: no query per result).
"""

from __future__ import annotations

import datetime
import random
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.grid_save import Row, print_table
from clea.directory.search import Place, search
from clea.geography.loading import load_geography
from clea.geography.models import Commune, Departement
from clea.lib.siret import with_check_digit
from clea.organisations.models import Habilitation, Organisation, OrganisationKind
from clea.referentiel.models import Certification
from clea.referentiel.services import load_shipped_referentiels

ORGANISATIONS_PER_DEPARTEMENT = 5
HTTP_SAMPLE = 500


def build_directory(today: datetime.date) -> int:
    load_shipped_referentiels()
    load_geography()
    clea, numerique = Certification.objects.get(code="CLEA"), Certification.objects.get(code="CLEA_NUMERIQUE")
    rng = random.Random(7)
    created = 0
    for departement in Departement.objects.select_related("region"):
        communes = list(
            Commune.objects.filter(departement=departement, parent__isnull=True).order_by("-population")[:20]
        )
        for index in range(ORGANISATIONS_PER_DEPARTEMENT):
            commune = rng.choice(communes)
            created += 1
            organisation = Organisation.objects.create(
                name=f"Évaluateur {departement.code}-{index}",
                kind=OrganisationKind.EVALUATOR,
                siret=with_check_digit(f"9{created:012d}"),
                commune=commune,
                postcode=commune.postcodes.first().code,
            )
            for certification in (clea, numerique) if index % 2 else (clea,):
                habilitation = Habilitation.objects.create(
                    organisation=organisation,
                    certification=certification,
                    valid_from=today - datetime.timedelta(days=30),
                    valid_until=today + datetime.timedelta(days=365),
                )
                habilitation.regions.set([departement.region])
    return created


def run(*, runs: int = 30) -> list[str]:
    today = timezone.localdate()
    started = time.perf_counter()
    organisations = build_directory(today)
    print(f"\nAnnuaire : {organisations} organismes habilités créés en {time.perf_counter() - started:.1f} s.")
    communes = list(Commune.objects.filter(parent__isnull=True).select_related("departement__region"))
    samples = []
    all_started = time.perf_counter()
    for commune in communes:
        start = time.perf_counter()
        results = search(Place(commune=commune), None, today)
        results.count()
        list(results[:20])
        samples.append(time.perf_counter() - start)
    total = time.perf_counter() - all_started
    client = Client()
    sample = random.Random(11).sample(communes, HTTP_SAMPLE)
    http_samples, queries = [], set()
    for commune in sample:
        postcode = commune.postcodes.first().code
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/annuaire/", {"lieu": postcode})
        http_samples.append(time.perf_counter() - start)
        queries.add(len(captured.captured_queries))
        assert response.status_code == 200
    print_table(
        [
            Row(f"Recherche (service), {len(communes)} communes", samples),
            Row(f"GET /annuaire/?lieu=<code postal>, {HTTP_SAMPLE} communes", http_samples, queries=max(queries)),
        ]
    )
    print(
        f"Toutes les communes de France ({len(communes)}) : {total:.1f} s au total, "
        f"{total / len(communes) * 1000:.2f} ms par recherche en moyenne. "
        f"Requêtes par page : {sorted(queries)}."
    )
    return []
