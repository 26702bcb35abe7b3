"""What an evaluator waits for: saving the grid, saving one cell, the engine, the dossier list.

Run through ``bench/run.py`` (it sets Django up and creates the throwaway database). Every object
is created through the services, as the application does; only the measured call is timed.
"""

from __future__ import annotations

import datetime
import math
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import django
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clea.accounts.models import User
from clea.dossiers import services as dossier_services
from clea.dossiers.models import CandidateStatus, Initiator
from clea.evaluations import services as evaluation_services
from clea.evaluations.models import EvaluationKind
from clea.evaluations.services import GridEntry
from clea.geography.loading import load_geography
from clea.geography.models import Commune, Region
from clea.lib.siret import with_check_digit
from clea.organisations.models import Habilitation, Membership, Organisation, OrganisationKind, Role
from clea.referentiel.models import Criterion, ReferentielVersion, VersionStatus
from clea.referentiel.services import load_shipped_referentiels
from clea.training import services as training_services

GAPS = ("1.1.1", "2.4.1", "3.1.2")  # not acquired at the préalable of the "merged" dossier
LIST_SIZES = (25, 500)
_numbers = count(1)


@dataclass
class Row:
    label: str
    samples: list[float]  # seconds
    queries: int | None = None

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def p95_ms(self) -> float:
        """Nearest-rank 95th percentile (with 30 runs: the 29th fastest)."""
        ordered = sorted(self.samples)
        return ordered[math.ceil(0.95 * len(ordered)) - 1] * 1000


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def queries_of(call: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


# --- set-up, through the services -------------------------------------------------------------------


@dataclass
class World:
    certification: object
    version: ReferentielVersion
    codes: list[str]
    rennes: Commune
    region: Region
    training_org: Organisation
    trainer: User
    today: datetime.date


def person(role_org: Organisation, role: str, first: str) -> User:
    n = next(_numbers)
    user = User.objects.create_user(f"bench{n}@exemple.fr", None, first_name=first, last_name=f"Banc{n}")
    Membership.objects.create(user=user, organisation=role_org, role=role)
    return user


def evaluator_organisation(world: World, name: str) -> tuple[Organisation, User]:
    organisation = Organisation.objects.create(
        name=name,
        kind=OrganisationKind.EVALUATOR,
        siret=with_check_digit(f"{next(_numbers):013d}"),
        commune=world.rennes,
        postcode="35000",
    )
    habilitation = Habilitation.objects.create(
        organisation=organisation,
        certification=world.certification,
        valid_from=world.today - datetime.timedelta(days=365),
        valid_until=world.today + datetime.timedelta(days=6 * 365),
    )
    habilitation.regions.set([world.region])
    return organisation, person(organisation, Role.EVALUATOR, "Évaluatrice")


def build_world() -> World:
    load_shipped_referentiels(Path(settings.REFERENTIELS_DIR))
    load_geography()
    version = ReferentielVersion.objects.select_related("certification").get(
        certification__code="CLEA", status=VersionStatus.ACTIVE
    )
    codes = list(
        Criterion.objects.filter(version=version)
        .order_by("subdomain__domain__position", "subdomain__position", "position")
        .values_list("code", flat=True)
    )
    rennes = Commune.objects.select_related("departement").get(code="35238")
    training_org = Organisation.objects.create(
        name="Formation Bench", kind=OrganisationKind.TRAINING, siret=with_check_digit(f"{next(_numbers):013d}")
    )
    return World(
        certification=version.certification,
        version=version,
        codes=codes,
        rennes=rennes,
        region=Region.objects.get(pk=rennes.departement.region_id),
        training_org=training_org,
        trainer=person(training_org, Role.TRAINER, "Formateur"),
        today=timezone.localdate(),
    )


def open_dossier(world: World, organisation: Organisation, evaluator: User):
    n = next(_numbers)
    return dossier_services.open_dossier(
        organisation=organisation,
        certification=world.certification,
        candidate={
            "birth_name": f"Durand{n:05d}",
            "first_names": "Léa Marie",
            "sex": "F",
            "birth_date": datetime.date(1990, 5, 17),
            "birth_commune": world.rennes,
            "address_line1": "3 rue des Lilas",
            "postcode": "35000",
            "commune": world.rennes,
        },
        candidate_status=CandidateStatus.JOB_SEEKER,
        initiator=Initiator.SELF,
        consent=True,
        evaluator=evaluator,
        by=evaluator,
        today=world.today,
    )


def start(world: World, dossier, evaluator: User, kind: str, day: datetime.date):
    evaluation = evaluation_services.start_evaluation(
        dossier, kind=kind, evaluator=evaluator, by=evaluator, today=world.today
    )
    evaluation_services.add_sitting(
        evaluation, date=day, start=datetime.time(9), end=datetime.time(11), place="Rennes", by=evaluator
    )
    return evaluation


def full_grid(codes: list[str], gaps=GAPS) -> list[GridEntry]:
    return [GridEntry(code, "not_acquired" if code in gaps else "acquired") for code in codes]


def merged_dossier(world: World, organisation: Organisation, evaluator: User):
    """Préalable with gaps (closed), a training path, a finale on the gaps (closed): ready for the jury."""
    dossier = open_dossier(world, organisation, evaluator)
    prealable_day = world.today - datetime.timedelta(days=60)
    initial = start(world, dossier, evaluator, EvaluationKind.INITIAL, prealable_day)
    evaluation_services.record_judgements(initial, full_grid(world.codes), by=evaluator)
    evaluation_services.close_evaluation(initial, by=evaluator)
    dossier.refresh_from_db()
    training_services.propose_training_path(
        dossier,
        training_organisation=world.training_org,
        trainer=world.trainer,
        planned_hours=35,
        start_date=prealable_day + datetime.timedelta(days=7),
        end_date=world.today - datetime.timedelta(days=7),
        target_codes=[],
        by=evaluator,
    )
    final = start(world, dossier, evaluator, EvaluationKind.FINAL, world.today)
    evaluation_services.record_judgements(final, [GridEntry(code, "acquired") for code in GAPS], by=evaluator)
    evaluation_services.close_evaluation(final, by=evaluator)
    dossier.refresh_from_db()
    assert dossier.state == "ready_for_jury", dossier.state
    return dossier


# --- measures ---------------------------------------------------------------------------------------


def bench_full_grid(world: World, runs: int) -> Row:
    """One record_judgements call with the 106 criteria, each run on a fresh évaluation préalable."""
    organisation, evaluator = evaluator_organisation(world, "Évaluateur Bench grille")
    evaluations = [
        start(world, open_dossier(world, organisation, evaluator), evaluator, EvaluationKind.INITIAL, world.today)
        for _ in range(runs + 1)
    ]
    entries = full_grid(world.codes)
    # The first one warms caches up and gives the query count; it is not timed.
    queries = queries_of(lambda: evaluation_services.record_judgements(evaluations[0], entries, by=evaluator))
    samples = [
        timed(lambda e=evaluation: evaluation_services.record_judgements(e, entries, by=evaluator))
        for evaluation in evaluations[1:]
    ]
    assert all(e.judgements.count() == len(world.codes) for e in evaluations)
    return Row(f"Grille complète, 1 appel record_judgements ({len(entries)} critères)", samples, queries)


def bench_single_cell(world: World, runs: int) -> tuple[Row, Row, Row]:
    """One cell, as htmx sends it: the service alone, then the whole request (row + live status)."""
    organisation, evaluator = evaluator_organisation(world, "Évaluateur Bench cellule")
    service_eval = start(world, open_dossier(world, organisation, evaluator), evaluator, "initial", world.today)
    codes = world.codes[: runs + 1]
    queries = queries_of(
        lambda: evaluation_services.record_judgements(service_eval, [GridEntry(codes[0], "acquired")], by=evaluator)
    )
    service = Row(
        "Une cellule, record_judgements (service)",
        [
            timed(
                lambda c=code: evaluation_services.record_judgements(
                    service_eval, [GridEntry(c, "acquired")], by=evaluator
                )
            )
            for code in codes[1:]
        ],
        queries,
    )

    dossier = open_dossier(world, organisation, evaluator)
    evaluation = start(world, dossier, evaluator, "initial", world.today)
    client = Client(headers={"HX-Request": "true"})
    client.force_login(evaluator)

    def post(code: str):
        url = reverse("evaluations:grid_cell", args=[dossier.public_id, evaluation.public_id, code])
        response = client.post(url, {"revision": "", "judgement": "acquired", f"c-{code}": ""})
        assert response.status_code == 200 and b"Enregistr" in response.content, response.content[:300]

    queries = queries_of(lambda: post(codes[0]))
    request = Row(
        "Une cellule, POST htmx complet (ligne + statut)",
        [timed(lambda c=code: post(c)) for code in codes[1:]],
        queries,
    )

    grid_url = reverse("evaluations:grid", args=[dossier.public_id, evaluation.public_id])

    def get_grid():
        response = client.get(grid_url)
        assert response.status_code == 200

    queries = queries_of(get_grid)
    page = Row(f"Page de la grille, GET ({len(world.codes)} lignes)", [timed(get_grid) for _ in range(runs)], queries)
    return service, request, page


def bench_engine(world: World, runs: int) -> Row:
    organisation, evaluator = evaluator_organisation(world, "Évaluateur Bench moteur")
    dossier = merged_dossier(world, organisation, evaluator)
    result = evaluation_services.dossier_assessment(dossier)
    assert result.eligible and result.points == len(world.codes)
    queries = queries_of(lambda: evaluation_services.dossier_assessment(dossier))
    samples = [timed(lambda: evaluation_services.dossier_assessment(dossier)) for _ in range(runs)]
    return Row("dossier_assessment (préalable + finale fusionnées)", samples, queries)


def bench_list(world: World, runs: int) -> list[Row]:
    organisation, evaluator = evaluator_organisation(world, "Évaluateur Bench liste")
    client = Client()
    client.force_login(evaluator)
    url = reverse("dossiers:list")
    rows = []
    opened = 0
    for size in LIST_SIZES:
        for _ in range(size - opened):
            open_dossier(world, organisation, evaluator)
        opened = size

        def get(size=size):
            response = client.get(url)
            assert response.status_code == 200
            assert f"{size} dossiers".encode() in response.content

        queries = queries_of(get)
        label = f"Liste des dossiers, GET ({size} dossiers, 25 par page)"
        rows.append(Row(label, [timed(get) for _ in range(runs)], queries))
    return rows


# --- report -----------------------------------------------------------------------------------------


def database_label() -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (fichier temporaire)"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version") if connection.vendor == "postgresql" else cursor.execute("SELECT 1")
        version = cursor.fetchone()[0]
    return f"{connection.vendor} {version}"


def print_table(rows: list[Row]) -> None:
    headers = ("Mesure", "n", "médiane", "p95", "requêtes")
    cells = [
        (r.label, str(len(r.samples)), f"{r.median_ms:.1f} ms", f"{r.p95_ms:.1f} ms", str(r.queries)) for r in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]

    def line(values):
        first, *rest = values
        return "  ".join([first.ljust(widths[0]), *(v.rjust(w) for v, w in zip(rest, widths[1:], strict=True))])

    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for c in cells:
        print(line(c))


def run(*, runs: int = 30) -> list[str]:
    """Print the table; returns the measures that failed (each with its error), empty when all ran."""
    runs = max(2, min(runs, 105))  # the single-cell measure uses one criterion per run
    print(
        f"CléA — mesures ({runs} répétitions chacune après un premier appel non chronométré)\n"
        f"Base : {database_label()} · Django {django.get_version()} · Python {platform.python_version()}"
    )
    started = time.perf_counter()
    world = build_world()
    print(f"Référentiels et géographie chargés en {time.perf_counter() - started:.1f} s.\n")
    rows: list[Row] = []
    failures: list[str] = []
    list_rows: list[Row] = []
    for name, measure in (
        ("grille complète", bench_full_grid),
        ("une cellule", bench_single_cell),
        ("moteur", bench_engine),
        ("liste des dossiers", bench_list),
    ):
        try:
            result = measure(world, runs)
        except Exception as exc:  # a failed measure is reported, the others still run
            failures.append(f"{name} : {type(exc).__name__}: {exc}")
            continue
        produced = list(result) if isinstance(result, tuple | list) else [result]
        rows += produced
        if measure is bench_list:
            list_rows = produced
    print_table(rows)
    if list_rows:
        same = len({r.queries for r in list_rows}) == 1
        verdict = "identique, pas de requête par ligne" if same else "DIFFÉRENT : une requête par ligne (N+1)"
        small, large = list_rows[0], list_rows[-1]
        print(
            f"\nListe : {small.queries} requêtes pour {LIST_SIZES[0]} dossiers, {large.queries} pour "
            f"{LIST_SIZES[-1]} — {verdict}."
        )
    for failure in failures:
        print(f"ÉCHEC de la mesure {failure}")
    print(f"Durée totale : {time.perf_counter() - started:.1f} s.")
    return failures
