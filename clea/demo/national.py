"""National-scale data for benchmarks: ``manage.py seed_national N`` (issue 11, point 1).

Fills a PostgreSQL database whose name contains "bench" with N dossiers spread over 300 evaluator
organisations, with their préalables (106 judgements each), training paths, finales, jury sessions,
decisions and certificates, consistent with the application's rules. Rows are written by set-based SQL
(``INSERT … SELECT … FROM generate_series``) in chunks; nothing loops per dossier in Python.

Every value of dossier number ``k`` is drawn from ``hashint8extended(k, seed)``: the same seed gives
the same data, and a second run with a larger N adds dossiers ``count … N-1`` only (10 k → 100 k → 1 M).
The organisations, accounts and habilitations are planned in Python from the same seed and created once.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import random
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from psycopg import ClientCursor

from clea.accounts.models import User
from clea.certificates.numbering import prefix_for
from clea.demo import national_names as names
from clea.dossiers.models import identity_key
from clea.geography.models import Commune, Region
from clea.lib.siret import with_check_digit
from clea.organisations.models import Habilitation, Membership, Organisation, OrganisationKind, PrescriberType, Role
from clea.referentiel.models import ReferentielVersion, VersionStatus
from clea.referentiel.scoring import Judgement, assess
from clea.referentiel.structure import ReferentielSpec

# The benchmark logs in as these (sessions created without password); role → e-mail.
BENCH_ACCOUNTS = {
    "evaluator": "bench.evaluateur@seed.invalid",  # evaluator in the largest evaluator organisation
    "jury": "bench.jury@seed.invalid",  # jury organiser of that organisation's region
    "certifier": "bench.certificateur@seed.invalid",  # certifier officer
    "trainer": "bench.formateur@seed.invalid",  # trainer in the largest training organisation
}
SEED_DOMAIN = "seed.invalid"  # every seeded account and organisation has an address there
DEFAULT_SEED = 2026
DEFAULT_CHUNK = 50_000
START_DAY = datetime.date(2015, 1, 5)  # first dossiers of the national history

EVALUATOR_ORGANISATIONS = 300
TRAINING_ORGANISATIONS = 150
EMPLOYER_ORGANISATIONS = 240
EVALUATORS_PER_ORGANISATION = 3
TRAINERS_PER_ORGANISATION = 2
LARGEST_SHARE = 0.064  # share of all dossiers held by the largest evaluator organisation (Zipf-like)
ORGANISATION_SLOTS = 10_000  # dossier → organisation by a hashed slot; slots are shared by weight
SESSION_SIZE = 50  # dossiers per closed jury session
PLANNED_SESSION_SIZE = 45
PROFILES = 256  # judgement patterns per kind and référentiel version, each checked by the engine
CERTIFIER_NAME = "Certif'Pro (jeu national)"

# Where each dossier's story stops today, with its share of the national volume.
STORY_MIX: tuple[tuple[str, float], ...] = (
    ("information", 0.02),
    ("initial_open", 0.03),
    ("training", 0.12),
    ("final_open", 0.015),
    ("ready", 0.01),
    ("awaiting", 0.02),
    ("at_jury", 0.008),
    ("adjourned", 0.005),
    ("certified", 0.58),
    ("not_certified", 0.02),
    ("withdrawn_info", 0.03),
    ("withdrawn_initial", 0.015),
    ("withdrawn_training", 0.055),
    ("closed", 0.04),
    ("expired", 0.032),
)
STORY_STATE = {
    "information": "information",
    "initial_open": "initial_assessment",
    "training": "training",
    "final_open": "final_assessment",
    "ready": "ready_for_jury",
    "awaiting": "awaiting_jury",
    "at_jury": "at_jury",
    "adjourned": "adjourned",
    "certified": "certified",
    "not_certified": "not_certified",
    "withdrawn_info": "withdrawn",
    "withdrawn_initial": "withdrawn",
    "withdrawn_training": "withdrawn",
    "closed": "closed",
    "expired": "expired",
}
# Chunks at least this large give each organisation an open préalable and a dossier waiting for a jury.
FORCED_STAGES_MINIMUM = 5_000
DIRECT_SHARE = 0.15  # dossiers whose préalable already passes: straight to the jury

# The two tables that hold ~212 rows per dossier: their secondary indexes and foreign keys are dropped
# during a large load and recreated from their saved definitions (the schema is unchanged afterwards).
BULK_TABLES = ("evaluations_criterionjudgement", "evaluations_evaluation_scope")


@contextmanager
def seed_cursor() -> Iterator[Any]:  # psycopg's cursor, typed loosely as Django's
    """A client-side binding cursor: the seed sends several statements in one string, which the
    server-side binding (prepared statements) of the settings refuses."""
    connection.ensure_connection()
    with ClientCursor(connection.connection) as cursor:
        yield cursor


class NationalSeedError(Exception):
    """A refusal with a French message for the person who ran the command."""


@dataclass
class TableStat:
    rows: int = 0
    seconds: float = 0.0


@dataclass
class SeedReport:
    existing: int = 0
    added: int = 0
    seconds: float = 0.0
    tables: dict[str, TableStat] = field(default_factory=dict)

    def add(self, table: str, rows: int, seconds: float) -> None:
        stat = self.tables.setdefault(table, TableStat())
        stat.rows += rows
        stat.seconds += seconds


# ---------------------------------------------------------------------------------- safety checks


def check_database(*, allow_any_name: bool = False) -> None:
    """PostgreSQL only, and only a database named for benchmarks (the tests pass ``allow_any_name``)."""
    if connection.vendor != "postgresql":
        raise NationalSeedError(
            f"seed_national demande PostgreSQL : la base configurée est {connection.vendor} "
            "(définissez DATABASE_URL=postgres://…/clea_bench)."
        )
    name = connection.settings_dict["NAME"]
    if not allow_any_name and "bench" not in name:
        raise NationalSeedError(
            f"seed_national refuse d'écrire dans la base « {name} » : son nom doit contenir « bench » "
            "(des centaines de milliers de dossiers fictifs y seraient ajoutés)."
        )


def missing_prerequisite() -> str | None:
    """What to run first, in French, or None when migrations, référentiels and geography are there."""
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return "Migrations non appliquées : lancez « manage.py migrate » (ou seed_national --prepare)."
    if not ReferentielVersion.objects.filter(certification__code="CLEA", status=VersionStatus.ACTIVE).exists():
        return "Aucun référentiel CléA en vigueur : lancez « manage.py load_referentiels » (ou --prepare)."
    if Region.objects.count() < 18 or not Commune.objects.exists():
        return "Géographie absente : lancez « manage.py load_geography » (ou seed_national --prepare)."
    return None


# ------------------------------------------------------------------------------ deterministic ids


def seeded_uuid(seed: int, kind: str, n: int) -> uuid.UUID:
    """Same formula as the SQL ``pg_temp.seed_uuid``: an md5 shaped as a version-4 UUID."""
    digest = hashlib.md5(f"{seed}:{kind}:{n}".encode(), usedforsecurity=False).hexdigest()
    return uuid.UUID(digest[:12] + "4" + digest[13:16] + "8" + digest[17:])


def fold(text: str) -> str:
    """The normalised form identity_key uses, taken from the application itself."""
    return identity_key(text, "", datetime.date(2000, 1, 1)).split("|")[0]


# ------------------------------------------------------------------- organisations and accounts


@dataclass
class OrgPlan:
    siret: str
    name: str
    kind: str
    region: str
    commune: str
    postcode: str
    city: str
    weight: float = 0.0
    numerique: bool = False
    extra_region: str | None = None
    users: list[tuple[str, str, str, str]] = field(default_factory=list)  # (email, first, last, role)


@dataclass
class StructurePlan:
    certifier: OrgPlan
    evaluators: list[OrgPlan]
    training: list[OrgPlan]
    employers: list[OrgPlan]
    juries: dict[str, OrgPlan]
    largest: OrgPlan
    largest_training: OrgPlan


def zipf_exponent(count: int, largest_share: float) -> float:
    """The exponent s for which weight 1/r^s gives rank 1 ``largest_share`` of the total (bisection)."""
    low, high = 0.0, 3.0
    for _ in range(60):
        middle = (low + high) / 2
        share = 1 / sum(r**-middle for r in range(1, count + 1))
        low, high = (middle, high) if share < largest_share else (low, middle)
    return (low + high) / 2


def spread_over_regions(total: int, populations: dict[str, int], minimum: int) -> dict[str, int]:
    """Counts per region proportional to population, at least ``minimum`` each (largest remainder)."""
    rest = total - minimum * len(populations)
    whole = sum(populations.values())
    quotas = {code: rest * pop / whole for code, pop in populations.items()}
    counts = {code: minimum + int(q) for code, q in quotas.items()}
    leftovers = sorted(populations, key=lambda c: (int(quotas[c]) - quotas[c], c))
    for code in leftovers[: total - sum(counts.values())]:
        counts[code] += 1
    return counts


def region_places(limit: int = 12) -> tuple[dict[str, int], dict[str, list[tuple[str, str, str]]]]:
    """Population per region and its largest communes (code, first postcode, name) for organisations."""
    with seed_cursor() as cursor:
        cursor.execute(
            """
            SELECT d.region_id, c.code, c.name, c.population, p.code
            FROM geography_commune c JOIN geography_departement d ON d.code = c.departement_id
            LEFT JOIN (SELECT commune_id, min(code) AS code FROM geography_postcode GROUP BY commune_id) p
                 ON p.commune_id = c.code
            WHERE c.parent_id IS NULL ORDER BY d.region_id, c.population DESC NULLS LAST, c.code
            """
        )
        rows = cursor.fetchall()
    populations: dict[str, int] = {}
    places: dict[str, list[tuple[str, str, str]]] = {}
    for region, code, name, population, postcode in rows:
        populations[region] = populations.get(region, 0) + (population or 0)
        if postcode and len(places.setdefault(region, [])) < limit:
            places[region].append((code, postcode, name))
    return populations, places


def _person(rng: random.Random) -> tuple[str, str]:
    first = rng.choice(names.FEMALE_FIRST_NAMES if rng.random() < 0.5 else names.MALE_FIRST_NAMES)
    return first, rng.choice(names.SURNAMES)


def plan_structure(seed: int) -> StructurePlan:
    """Organisations and accounts, drawn from the seed only (the same plan on every run)."""
    rng = random.Random(seed)
    populations, places = region_places()
    region_names = dict(Region.objects.values_list("code", "name"))
    regions = sorted(populations)

    def siret() -> str:
        return with_check_digit("".join(str(rng.randint(0, 9)) for _ in range(13)))

    def organisation(kind: str, region: str, index: int, name: str) -> OrgPlan:
        commune, postcode, city = places[region][index % len(places[region])]
        return OrgPlan(siret(), name.format(city=city), kind, region, commune, postcode, city)

    certifier = organisation(OrganisationKind.CERTIFIER, "11", 0, CERTIFIER_NAME)
    certifier.users = [(BENCH_ACCOUNTS["certifier"], "Claire", "National", Role.CERTIFIER_OFFICER)]
    certifier.users += [(f"certificateur.{n}@{SEED_DOMAIN}", *_person(rng), Role.CERTIFIER_OFFICER) for n in (2, 3)]

    evaluators: list[OrgPlan] = []
    for region, count in spread_over_regions(EVALUATOR_ORGANISATIONS, populations, 3).items():
        for index in range(count):
            prefix = names.EVALUATOR_PREFIXES[len(evaluators) % len(names.EVALUATOR_PREFIXES)]
            org = organisation(
                OrganisationKind.EVALUATOR, region, index, f"{prefix} {{city}} — OE {len(evaluators) + 1:03d}"
            )
            evaluators.append(org)
    exponent = zipf_exponent(len(evaluators), LARGEST_SHARE)
    ranks = list(range(1, len(evaluators) + 1))
    rng.shuffle(ranks)
    for org, rank in zip(evaluators, ranks, strict=True):
        org.weight = rank**-exponent
        org.numerique = rank <= 75 or rng.random() < 0.1
        if rank <= 30:  # the large ones are habilitated in a second region too
            org.extra_region = rng.choice([r for r in regions if r != org.region])
    total = sum(o.weight for o in evaluators)
    for org in evaluators:
        org.weight /= total
    largest = max(evaluators, key=lambda o: o.weight)
    for number, org in enumerate(evaluators, start=1):
        for n in range(1, EVALUATORS_PER_ORGANISATION + 1):
            email = f"evaluateur.{number:03d}.{n}@{SEED_DOMAIN}"
            if org is largest and n == 1:
                email = BENCH_ACCOUNTS["evaluator"]
            org.users.append((email, *_person(rng), Role.EVALUATOR))
        org.users.append((org.users[1][0], org.users[1][1], org.users[1][2], Role.ADMIN))

    region_share = {r: sum(o.weight for o in evaluators if o.region == r) for r in regions}
    training: list[OrgPlan] = []
    for region, count in spread_over_regions(TRAINING_ORGANISATIONS, populations, 2).items():
        for index in range(count):
            prefix = names.TRAINING_PREFIXES[len(training) % len(names.TRAINING_PREFIXES)]
            org = organisation(
                OrganisationKind.TRAINING, region, index, f"{prefix} {{city}} — OF {len(training) + 1:03d}"
            )
            within = (index + 1) ** -1.0 / sum((i + 1) ** -1.0 for i in range(count))
            org.weight = within * region_share[region]
            training.append(org)
    largest_training = max(training, key=lambda o: o.weight)
    for number, org in enumerate(training, start=1):
        for n in range(1, TRAINERS_PER_ORGANISATION + 1):
            email = f"formateur.{number:03d}.{n}@{SEED_DOMAIN}"
            if org is largest_training and n == 1:
                email = BENCH_ACCOUNTS["trainer"]
            org.users.append((email, *_person(rng), Role.TRAINER))

    employers: list[OrgPlan] = []
    for region, count in spread_over_regions(EMPLOYER_ORGANISATIONS, populations, 3).items():
        for index in range(count):
            prefix = names.EMPLOYER_PREFIXES[len(employers) % len(names.EMPLOYER_PREFIXES)]
            employers.append(
                organisation(
                    OrganisationKind.EMPLOYER, region, index, f"{prefix} {{city}} — E {len(employers) + 1:03d}"
                )
            )

    juries = {}
    for region in regions:
        org = organisation(
            OrganisationKind.JURY_ORGANISER, region, 0, f"Transitions Pro {region_names[region]} (jeu national)"
        )
        email = BENCH_ACCOUNTS["jury"] if region == largest.region else f"jury.{region}@{SEED_DOMAIN}"
        org.users.append((email, *_person(rng), Role.JURY_ORGANISER))
        juries[region] = org
    return StructurePlan(certifier, evaluators, training, employers, juries, largest, largest_training)


def all_organisations(plan: StructurePlan) -> list[OrgPlan]:
    return [plan.certifier, *plan.evaluators, *plan.training, *plan.employers, *plan.juries.values()]


def habilitation_periods(start: datetime.date, today: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """Three-year habilitations renewed back to back from ``start`` until past ``today``."""
    periods = []
    while start <= today:
        end = start.replace(year=start.year + 3) - datetime.timedelta(days=1)
        periods.append((start, end))
        start = end + datetime.timedelta(days=1)
    return periods


@transaction.atomic
def ensure_structure(plan: StructurePlan, seed: int, today: datetime.date) -> dict[str, int]:
    """Create the organisations, accounts, memberships and habilitations that are missing; return
    the id of each organisation (by SIRET) and account (by e-mail). A second run creates nothing."""
    planned = all_organisations(plan)
    existing = dict(Organisation.objects.filter(siret__in=[o.siret for o in planned]).values_list("siret", "pk"))
    created_at = timezone.make_aware(
        datetime.datetime.combine(START_DAY - datetime.timedelta(days=120), datetime.time(9))
    )
    new = [o for o in planned if o.siret not in existing]
    Organisation.objects.bulk_create(
        Organisation(
            public_id=seeded_uuid(seed, "organisation", int(o.siret)),
            name=o.name,
            kind=o.kind,
            siret=o.siret,
            address_line1="12 rue de la République",
            postcode=o.postcode,
            commune_id=o.commune,
            email=f"contact.{o.siret}@{SEED_DOMAIN}",
        )
        for o in new
    )
    ids = dict(Organisation.objects.filter(siret__in=[o.siret for o in planned]).values_list("siret", "pk"))
    Organisation.objects.filter(pk__in=[ids[o.siret] for o in new]).update(created_at=created_at, updated_at=created_at)

    people = {email: (first, last) for o in planned for email, first, last, _ in o.users}
    known = set(User.objects.filter(email__in=people).values_list("email", flat=True))
    User.objects.bulk_create(
        User(
            public_id=seeded_uuid(seed, "user", index),
            email=email,
            first_name=first,
            last_name=last,
            password=UNUSABLE_PASSWORD_PREFIX + "seed_national",  # no usable password
            date_joined=created_at,
        )
        for index, (email, (first, last)) in enumerate(sorted(people.items()))
        if email not in known
    )
    users = dict(User.objects.filter(email__in=people).values_list("email", "pk"))
    memberships = {
        (m.user_id, m.organisation_id, m.role) for m in Membership.objects.filter(user_id__in=users.values())
    }
    Membership.objects.bulk_create(
        Membership(
            public_id=seeded_uuid(seed, "membership", users[email] * 10 + position),
            user_id=users[email],
            organisation_id=ids[o.siret],
            role=role,
        )
        for o in planned
        for position, (email, _, _, role) in enumerate(o.users)
        if (users[email], ids[o.siret], role) not in memberships
    )
    if not Habilitation.objects.filter(organisation_id__in=[ids[o.siret] for o in plan.evaluators]).exists():
        _habilitate(plan, ids, seed, today)
    return {**ids, **users}


def _habilitate(plan: StructurePlan, ids: dict[str, int], seed: int, today: datetime.date) -> None:
    from clea.referentiel.models import Certification

    certifications = dict(Certification.objects.values_list("code", "pk"))
    horizon = today + datetime.timedelta(days=365)
    rows, regions = [], []
    for org in plan.evaluators:
        wanted = [("CLEA", datetime.date(2014, 9, 1))]
        if org.numerique and "CLEA_NUMERIQUE" in certifications:
            wanted.append(("CLEA_NUMERIQUE", datetime.date(2019, 1, 1)))
        for code, start in wanted:
            for valid_from, valid_until in habilitation_periods(start, horizon):
                public_id = seeded_uuid(seed, f"habilitation:{code}:{valid_from}", int(org.siret))
                rows.append(
                    Habilitation(
                        public_id=public_id,
                        organisation_id=ids[org.siret],
                        certification_id=certifications[code],
                        valid_from=valid_from,
                        valid_until=valid_until,
                    )
                )
                regions.append([org.region, *([org.extra_region] if org.extra_region else [])])
    created = Habilitation.objects.bulk_create(rows)
    through = Habilitation.regions.through
    through.objects.bulk_create(
        through(habilitation_id=h.pk, region_id=code)
        for h, codes in zip(created, regions, strict=True)
        for code in codes
    )


# ------------------------------------------------------------------------ judgement patterns


@dataclass(frozen=True)
class Profile:
    """Criteria not acquired at the préalable (``gaps``), and those still not acquired after the finale."""

    gaps: frozenset[int]
    remaining: frozenset[int]
    initial_summary: str
    initial_reason: str
    final_summary: str
    final_reason: str


def _judged(spec: ReferentielSpec, not_acquired: frozenset[int]) -> dict[str, Judgement]:
    return {
        c.code: Judgement.NOT_ACQUIRED if i in not_acquired else Judgement.ACQUIRED
        for i, c in enumerate(spec.criteria())
    }


def closing_outcome(spec: ReferentielSpec, not_acquired: frozenset[int], kind_label: str) -> tuple[bool, str, str]:
    """Whether the engine finds the dossier eligible, and the summary and reason that
    ``close_evaluation`` writes on the timeline."""
    result = assess(spec, _judged(spec, not_acquired))
    outcome = (
        "tous les domaines sont acquis, le dossier peut aller au jury"
        if result.eligible
        else f"{len(result.missing_criteria)} critère(s) à travailler en formation"
    )
    return result.eligible, f"{kind_label} clôturée : {outcome}", "\n".join(result.explanation[:3])


_PROFILES: dict[tuple[int, int, datetime.datetime], dict[str, list[Profile]]] = {}


def judgement_profiles(version: ReferentielVersion, spec: ReferentielSpec, seed: int) -> dict[str, list[Profile]]:
    """Patterns checked by the application's engine: "pass" préalables are eligible as they are; "fail"
    ones are not, and their finale leaves ``remaining`` gaps with which the dossier becomes eligible.
    Versions in force never change: the patterns are computed once per process."""
    key = (seed, version.pk, version.created_at)
    if key not in _PROFILES:
        _PROFILES[key] = _draw_profiles(spec, random.Random(seed * 7 + version.number))
    return _PROFILES[key]


def _draw_profiles(spec: ReferentielSpec, rng: random.Random) -> dict[str, list[Profile]]:
    count = len(spec.criteria())
    every = list(range(count))
    nothing = frozenset[int]()
    all_acquired = closing_outcome(spec, nothing, "Évaluation préalable")
    final_all_acquired = closing_outcome(spec, nothing, "Évaluation finale")
    passing: list[Profile] = []
    failing: list[Profile] = []
    while len(passing) < PROFILES:
        gaps = frozenset(rng.sample(every, min(count, rng.choice((0, 0, 0, 1, 1, 2, 3, 4)))))
        passes, summary, reason = closing_outcome(spec, gaps, "Évaluation préalable") if gaps else all_acquired
        if not passes:
            gaps, (passes, summary, reason) = nothing, all_acquired
        passing.append(Profile(gaps, gaps, summary, reason, "", ""))
    while len(failing) < PROFILES:
        rate = rng.uniform(0.04, 0.35)
        gaps = frozenset(i for i in every if rng.random() < rate)
        passes, summary, reason = closing_outcome(spec, gaps, "Évaluation préalable")
        if not gaps or passes:
            continue
        remaining = frozenset(i for i in gaps if rng.random() < 0.2)
        final = closing_outcome(spec, remaining, "Évaluation finale") if remaining else final_all_acquired
        if not final[0]:
            remaining, final = nothing, final_all_acquired
        failing.append(Profile(gaps, remaining, summary, reason, final[1], final[2]))
    return {"pass": passing, "fail": failing}


def mask(positions: frozenset[int]) -> tuple[int, int]:
    """Two signed 64-bit words (62 bits used each) so SQL tests a criterion with ``&``."""
    low = sum(1 << p for p in positions if p < 62)
    high = sum(1 << (p - 62) for p in positions if p >= 62)
    return low, high


# ---------------------------------------------------------------------------- reference tables


def _temp_table(cursor: Any, name: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMP TABLE {name} ({columns})")
    if rows:
        marks = ", ".join(["%s"] * len(rows[0]))
        cursor.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)  # noqa: S608 (our own temp table)
    cursor.execute(f"ANALYZE {name}")


def _slots(weights: list[float], slots: int) -> list[int]:
    """Index of the owner of each slot, owners getting slots in proportion to weight (at least one)."""
    total = sum(weights)
    counts = [max(1, round(w / total * slots)) for w in weights]
    while sum(counts) > slots:
        counts[counts.index(max(counts))] -= 1
    while sum(counts) < slots:
        counts[counts.index(max(counts))] += 1
    return [owner for owner, n in enumerate(counts) for _ in range(n)]


@dataclass
class Versions:
    """Active référentiel versions: id, certification, profile numbers and criteria in grid order."""

    rows: list[dict[str, Any]]


def active_versions() -> Versions:
    versions = ReferentielVersion.objects.with_structure().filter(status=VersionStatus.ACTIVE)
    rows = []
    for version in versions:
        profile = version.profile
        if profile.max_initial_assessment_minutes < 420 or profile.max_final_assessment_minutes < 180:
            raise NationalSeedError(
                f"Profil de règles de {version} : durées maximales plus courtes que 7 h / 3 h, non prévues."
            )
        if profile.path_validity_years < 5:
            raise NationalSeedError(f"Profil de règles de {version} : parcours de moins de 5 ans, non prévu.")
        spec = version.to_spec()
        ids = {c.code: c.pk for d in version.domains.all() for s in d.subdomains.all() for c in s.criteria.all()}
        criteria = [(ids[c.code], c.code) for c in spec.criteria()]
        if len(criteria) > 124:
            raise NationalSeedError(f"{version} : plus de 124 critères, non prévu par seed_national.")
        rows.append(
            {
                "version": version,
                "spec": spec,
                "criteria": criteria,
                "code": version.certification.code,
                "certification_id": version.certification_id,
                "prefix": prefix_for(version.certification.code),
            }
        )
    return Versions(rows)


def create_reference_tables(plan: StructurePlan, ids: dict[str, int], versions: Versions, seed: int) -> None:
    """Temporary tables the chunk statements join: organisations, slots, names, places, criteria, patterns."""
    with seed_cursor() as cursor:
        cursor.execute(
            f"""
            CREATE OR REPLACE FUNCTION pg_temp.rnd(k bigint, salt integer) RETURNS float8
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
            $$ SELECT (hashint8extended(k, {int(seed)}::bigint * 1000 + salt) & 2147483647)::float8 / 2147483648.0 $$
            """
        )
        cursor.execute(
            """
            CREATE OR REPLACE FUNCTION pg_temp.pick(k bigint, salt integer, n integer) RETURNS integer
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT floor(pg_temp.rnd(k, salt) * n)::integer $$
            """
        )
        cursor.execute(
            f"""
            CREATE OR REPLACE FUNCTION pg_temp.seed_uuid(kind text, n bigint) RETURNS uuid
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
            $$ SELECT overlay(overlay(md5('{int(seed)}:' || kind || ':' || n) placing '4' from 13)
                              placing '8' from 17)::uuid $$
            """  # noqa: S608 (the seed is an int)
        )
        cursor.execute(
            """
            CREATE OR REPLACE FUNCTION pg_temp.at_paris(d date, t time) RETURNS timestamptz
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (d + t) AT TIME ZONE 'Europe/Paris' $$
            """
        )
        evaluator_rows = []
        for index, org in enumerate(plan.evaluators):
            evaluators = [ids[e] for e, _, _, role in org.users if role == Role.EVALUATOR]
            labels = [f"{first} {last}" for _, first, last, role in org.users if role == Role.EVALUATOR]
            evaluator_rows.append((index, ids[org.siret], org.region, org.city, org.numerique, evaluators, labels))
        _temp_table(
            cursor,
            "seed_evaluator_org",
            "idx int PRIMARY KEY, org_id bigint, region text, city text, numerique bool, users bigint[], labels text[]",
            evaluator_rows,
        )
        owners = _slots([o.weight for o in plan.evaluators], ORGANISATION_SLOTS)
        _temp_table(cursor, "seed_org_slot", "slot int PRIMARY KEY, idx int", list(enumerate(owners)))

        training_rows = []
        for region in sorted(plan.juries):
            orgs = [o for o in plan.training if o.region == region]
            for slot, owner in enumerate(_slots([o.weight for o in orgs], 100)):
                org = orgs[owner]
                trainers = [ids[e] for e, _, _, role in org.users if role == Role.TRAINER]
                training_rows.append((region, slot, ids[org.siret], org.name, trainers))
        _temp_table(
            cursor,
            "seed_training_slot",
            "region text, slot int, org_id bigint, name text, trainers bigint[], PRIMARY KEY (region, slot)",
            training_rows,
        )
        employer_rows = []
        for region in sorted(plan.juries):
            orgs = [o for o in plan.employers if o.region == region]
            employer_rows += [(region, slot, ids[orgs[slot % len(orgs)].siret]) for slot in range(100)]
        _temp_table(
            cursor,
            "seed_employer_slot",
            "region text, slot int, org_id bigint, PRIMARY KEY (region, slot)",
            employer_rows,
        )
        jury_rows = [
            (region, ids[org.siret], ids[org.users[0][0]], org.city, Region.objects.get(code=region).name)
            for region, org in plan.juries.items()
        ]
        _temp_table(
            cursor,
            "seed_jury",
            "region text PRIMARY KEY, org_id bigint, user_id bigint, city text, name text",
            jury_rows,
        )
        _temp_table(
            cursor,
            "seed_certifier",
            "user_id bigint",
            [(ids[BENCH_ACCOUNTS["certifier"]],)],
        )

        real = [(i, s, fold(s)) for i, s in enumerate(names.SURNAMES)]
        built = sorted({root + end for root in names.SURNAME_ROOTS for end in names.SURNAME_ENDINGS})
        _temp_table(cursor, "seed_surname", "idx int PRIMARY KEY, name text, folded text", real)
        _temp_table(
            cursor,
            "seed_built_surname",
            "idx int PRIMARY KEY, name text, folded text",
            [(i, s, fold(s)) for i, s in enumerate(built)],
        )
        first_rows = [("F", i, n, fold(n).split(" ")[0]) for i, n in enumerate(names.FEMALE_FIRST_NAMES)]
        first_rows += [("M", i, n, fold(n).split(" ")[0]) for i, n in enumerate(names.MALE_FIRST_NAMES)]
        _temp_table(
            cursor, "seed_first_name", "sex text, idx int, name text, folded text, PRIMARY KEY (sex, idx)", first_rows
        )
        _temp_table(cursor, "seed_street", "idx int PRIMARY KEY, name text", list(enumerate(names.STREETS)))
        _temp_table(cursor, "seed_country", "idx int PRIMARY KEY, code text", list(enumerate(names.BIRTH_COUNTRIES)))
        _create_place_slots(cursor)

        criterion_rows, profile_rows, version_rows = [], [], []
        for v in versions.rows:
            version = v["version"]
            for position, (criterion_id, code) in enumerate(v["criteria"]):
                low, high = mask(frozenset({position}))
                criterion_rows.append((version.pk, position, criterion_id, code, low, high))
            for kind, profiles in judgement_profiles(version, v["spec"], seed).items():
                for index, p in enumerate(profiles):
                    gap_lo, gap_hi = mask(p.gaps)
                    rem_lo, rem_hi = mask(p.remaining)
                    profile_rows.append(
                        (
                            version.pk,
                            kind,
                            index,
                            gap_lo,
                            gap_hi,
                            rem_lo,
                            rem_hi,
                            len(p.gaps),
                            p.initial_summary,
                            p.initial_reason,
                            p.final_summary,
                            p.final_reason,
                        )
                    )
            profile = version.profile
            version_rows.append(
                (
                    version.pk,
                    v["certification_id"],
                    v["code"],
                    version.certification.name,
                    v["prefix"],
                    profile.path_validity_years,
                    profile.fee_initial_assessment_cents,
                    profile.fee_certificate_cents,
                )
            )
        _temp_table(
            cursor,
            "seed_criterion",
            "version_id bigint, pos int, id bigint, code text, bit_lo bigint, bit_hi bigint, "
            "PRIMARY KEY (version_id, pos)",
            criterion_rows,
        )
        _temp_table(
            cursor,
            "seed_profile",
            "version_id bigint, kind text, idx int, gap_lo bigint, gap_hi bigint, rem_lo bigint, rem_hi bigint, "
            "gaps int, initial_summary text, initial_reason text, final_summary text, final_reason text, "
            "PRIMARY KEY (version_id, kind, idx)",
            profile_rows,
        )
        _temp_table(
            cursor,
            "seed_version",
            "version_id bigint PRIMARY KEY, certification_id bigint, code text, name text, prefix text, "
            "path_years int, fee_initial int, fee_certificate int",
            version_rows,
        )


def _create_place_slots(cursor: Any) -> None:
    """1 000 (commune, postcode) slots per region, and 1 000 for all of France ('FR'), by population."""
    cursor.execute("DROP TABLE IF EXISTS seed_place")
    cursor.execute(
        """
        CREATE TEMP TABLE seed_place AS
        WITH communes AS (
            SELECT d.region_id AS region, c.code, c.name, c.population
            FROM geography_commune c JOIN geography_departement d ON d.code = c.departement_id
            WHERE c.parent_id IS NULL AND c.population > 0
        ), ranked AS (
            SELECT region, code, name, population,
                   row_number() OVER (PARTITION BY region ORDER BY population DESC, code) AS r,
                   row_number() OVER (ORDER BY population DESC, code) AS national_r
            FROM communes
        ), chosen AS (
            SELECT region, code, name, population FROM ranked WHERE r <= 400
            UNION ALL SELECT 'FR', code, name, population FROM ranked WHERE national_r <= 2000
        ), weighted AS (
            SELECT ch.region, ch.code, ch.name, p.code AS postcode,
                   ch.population::float8 / count(*) OVER (PARTITION BY ch.region, ch.code) AS w
            FROM chosen ch JOIN geography_postcode p ON p.commune_id = ch.code
        ), cumulated AS (
            SELECT region, code, name, postcode,
                   sum(w) OVER (PARTITION BY region ORDER BY code, postcode) / sum(w) OVER (PARTITION BY region) AS hi,
                   row_number() OVER (PARTITION BY region ORDER BY code, postcode) AS n
            FROM weighted
        ), bounded AS (
            SELECT cumulated.*, coalesce(lag(hi) OVER (PARTITION BY region ORDER BY n), 0) AS lo FROM cumulated
        )
        -- Slot s belongs to the place whose cumulated share covers (s + 0.5) / 1000.
        SELECT c.region, s.slot, c.code, c.name, c.postcode
        FROM bounded c
        CROSS JOIN LATERAL generate_series(ceil(c.lo * 1000 - 0.5)::int,
                                           ceil(c.hi * 1000 - 0.5)::int - 1) AS s(slot)
        WHERE s.slot BETWEEN 0 AND 999
        """
    )
    cursor.execute("ALTER TABLE seed_place ADD PRIMARY KEY (region, slot)")
    cursor.execute("ANALYZE seed_place")


# ----------------------------------------------------------------------------------- the chunk


def story_case() -> str:
    """``CASE`` on a uniform draw ``u`` giving each story its share of STORY_MIX (constants only)."""
    parts, cumulated = [], 0.0
    for story, share in STORY_MIX[:-1]:
        cumulated += share
        parts.append(f"WHEN u < {cumulated:.6f} THEN '{story}'")
    return "CASE " + " ".join(parts) + f" ELSE '{STORY_MIX[-1][0]}' END"


def state_case() -> str:
    return "CASE story " + " ".join(f"WHEN '{s}' THEN '{state}'" for s, state in STORY_STATE.items()) + " END"


PLAN_SQL = """
CREATE TEMP TABLE seed_plan AS
WITH base AS (
    SELECT g.k, g.k - %(lo)s AS i, s.idx AS org_idx, pg_temp.rnd(g.k, 1) AS u
    FROM generate_series(%(lo)s::bigint, %(hi)s::bigint - 1) AS g(k)
    JOIN seed_org_slot s ON s.slot = pg_temp.pick(g.k, 2, {slots})
), ranked AS (
    SELECT base.*, row_number() OVER (PARTITION BY org_idx ORDER BY k) AS org_rank FROM base
), storied AS (
    -- In a large chunk, the first dossiers of each organisation: an open préalable and one waiting for a
    -- jury, so every organisation (the largest included) and every region has a grid and a session to show.
    SELECT ranked.*,
           CASE WHEN %(force)s AND org_rank = 1 THEN 'initial_open' WHEN %(force)s AND org_rank = 2 THEN 'awaiting'
                ELSE {story_case} END AS story
    FROM ranked
), offsets AS (
    SELECT storied.*,
           CASE WHEN story IN ('ready', 'awaiting', 'at_jury', 'adjourned', 'certified', 'not_certified')
                THEN pg_temp.rnd(k, 20) < {direct}
                WHEN story IN ('initial_open', 'withdrawn_initial') THEN pg_temp.rnd(k, 20) < {direct}
                ELSE false END AS direct,
           7 + pg_temp.pick(k, 10, 38) AS o_t1,
           1 + pg_temp.pick(k, 11, 3) AS n_init,
           14 + floor(300 * pg_temp.rnd(k, 15) ^ 2)::int AS hours,
           1 + pg_temp.pick(k, 17, 2) AS n_fin
    FROM storied
), offsets2 AS (
    SELECT offsets.*,
           CASE n_init WHEN 1 THEN 180 + 30 * pg_temp.pick(k, 12, 9) WHEN 2 THEN 120 + 30 * pg_temp.pick(k, 12, 4)
                ELSE 90 + 10 * pg_temp.pick(k, 12, 5) END AS m_init,
           CASE n_fin WHEN 1 THEN 60 + 30 * pg_temp.pick(k, 18, 5) ELSE 60 + 30 * pg_temp.pick(k, 18, 2) END AS m_fin,
           o_t1 + 7 * (n_init - 1) AS o_c1,
           o_t1 + 7 * (n_init - 1) + 3 + pg_temp.pick(k, 13, 14) AS o_p
    FROM offsets
), offsets3 AS (
    SELECT offsets2.*, o_p + 7 + pg_temp.pick(k, 14, 21) AS o_s FROM offsets2
), offsets4 AS (
    SELECT offsets3.*, o_s + 7 * ceil(hours / 10.0)::int AS o_e FROM offsets3
), offsets5 AS (
    SELECT offsets4.*, o_e + 7 + pg_temp.pick(k, 16, 21) AS o_f1 FROM offsets4
), offsets6 AS (
    SELECT offsets5.*, o_f1 + 7 * (n_fin - 1) AS o_c2 FROM offsets5
), offsets7 AS (
    SELECT offsets6.*, CASE WHEN direct THEN o_c1 ELSE o_c2 END AS o_ready FROM offsets6
), offsets8 AS (
    SELECT offsets7.*, o_ready + 2 + pg_temp.pick(k, 19, 20) AS o_sub FROM offsets7
), anchored AS (
    -- The day the dossier was opened, chosen so that its story has reached exactly its stage today.
    SELECT offsets8.*, (CASE story
        WHEN 'information' THEN %(today)s::date - pg_temp.pick(k, 21, o_t1)
        WHEN 'initial_open' THEN %(today)s::date - pg_temp.pick(k, 21, 21) - o_t1
        WHEN 'training' THEN %(today)s::date - 2 - pg_temp.pick(k, 21, 1638) - o_c1
        WHEN 'final_open' THEN %(today)s::date - pg_temp.pick(k, 21, 15) - o_f1
        WHEN 'ready' THEN %(today)s::date - 1 - pg_temp.pick(k, 21, 20) - o_ready
        WHEN 'awaiting' THEN %(today)s::date - 1 - pg_temp.pick(k, 21, 60) - o_sub
        WHEN 'at_jury' THEN %(today)s::date - 7 - pg_temp.pick(k, 21, 54) - o_sub
        WHEN 'adjourned' THEN %(today)s::date - 60 - pg_temp.pick(k, 21, 91) - o_sub
        WHEN 'withdrawn_info' THEN %(start)s::date + pg_temp.pick(k, 21, %(today)s::date - %(start)s::date)
        WHEN 'withdrawn_initial'
            THEN %(start)s::date + pg_temp.pick(k, 21, %(today)s::date - 30 - o_c1 - %(start)s::date)
        WHEN 'withdrawn_training'
            THEN %(start)s::date + pg_temp.pick(k, 21, %(today)s::date - 10 - o_e - %(start)s::date)
        WHEN 'closed' THEN %(start)s::date + pg_temp.pick(k, 21, %(today)s::date - 200 - o_e - %(start)s::date)
        WHEN 'expired' THEN %(start)s::date + pg_temp.pick(k, 21, %(today)s::date - 1835 - o_c1 - %(start)s::date)
        ELSE %(start)s::date + pg_temp.pick(k, 21, %(today)s::date - 60 - o_sub - %(start)s::date)
    END) AS t0
    FROM offsets8
), placed AS (
    SELECT a.*, o.org_id, o.region, o.city,
           o.users[1 + pg_temp.pick(a.k, 26, array_length(o.users, 1))] AS evaluator_id,
           o.labels[1 + pg_temp.pick(a.k, 26, array_length(o.labels, 1))] AS evaluator_label,
           (o.numerique AND a.org_rank > 2 AND pg_temp.rnd(a.k, 22) < 0.12 AND a.t0 >= DATE '2019-03-01') AS numerique
    FROM anchored a JOIN seed_evaluator_org o ON o.idx = a.org_idx
)
SELECT p.*, {state_case} AS state,
       v.version_id, v.certification_id, v.name AS certification_name, v.path_years,
       CASE WHEN p.direct THEN 'pass' ELSE 'fail' END AS profile_kind,
       pg_temp.pick(p.k, 24, {profiles}) AS profile_idx,
       p.t0 + p.o_t1 AS t1, p.t0 + p.o_c1 AS c1, p.t0 + p.o_p AS d_p, p.t0 + p.o_s AS d_s, p.t0 + p.o_e AS d_e,
       p.t0 + p.o_f1 AS f1, p.t0 + p.o_c2 AS c2, p.t0 + p.o_ready AS d_ready, p.t0 + p.o_sub AS d_sub,
       (p.t0 + p.o_c1 + make_interval(years => v.path_years))::date AS deadline,
       p.story NOT IN ('information', 'withdrawn_info') AS has_initial,
       p.story NOT IN ('information', 'withdrawn_info', 'initial_open', 'withdrawn_initial') AS initial_closed,
       p.story IN ('final_open', 'ready', 'awaiting', 'at_jury', 'adjourned', 'certified', 'not_certified')
           AND NOT p.direct AS has_final,
       p.story IN ('awaiting', 'at_jury', 'adjourned', 'certified', 'not_certified') AS submitted,
       pg_temp.pick(p.k, 25, 107) AS judged_prefix
FROM placed p
JOIN seed_version v ON v.code = CASE WHEN p.numerique THEN 'CLEA_NUMERIQUE' ELSE 'CLEA' END
"""

# Second pass: dates that depend on the first (paths, withdrawals, closings), and the person.
PLAN2_SQL = """
CREATE TEMP TABLE seed_dossier AS
SELECT p.*,
       p.initial_closed AND NOT p.direct AND p.d_p <= %(today)s::date AS has_path,
       -- Timestamps shared by the ~106 judgements of an evaluation, computed once per dossier.
       pg_temp.at_paris(CASE WHEN p.initial_closed THEN p.c1 ELSE p.t1 END, '16:00') AS initial_judged_at,
       pg_temp.at_paris(CASE WHEN p.story = 'final_open' THEN p.f1 ELSE p.c2 END, '16:00') AS final_judged_at,
       CASE p.story
           WHEN 'withdrawn_info' THEN p.t0
           WHEN 'withdrawn_initial' THEN p.c1 + 3
           WHEN 'withdrawn_training' THEN p.d_p + 10 + pg_temp.pick(p.k, 23, greatest(p.o_e - p.o_p - 10, 1))
           WHEN 'closed' THEN p.d_e + 30 + pg_temp.pick(p.k, 23, 150)
           WHEN 'expired' THEN p.deadline + 1
       END AS end_day,
       p.d_s + (p.d_e - p.d_s) / 2 AS d_mid,
       CASE WHEN pg_temp.rnd(p.k, 27) < 0.5 THEN 'F' ELSE 'M' END AS sex,
       pg_temp.rnd(p.k, 31) AS u_name,
       pg_temp.rnd(p.k, 37) AS u_birth,
       pg_temp.rnd(p.k, 44) AS u_status,
       pg_temp.rnd(p.k, 46) < 0.4 AS self_initiated,
       ts.org_id AS training_org_id, ts.name AS training_org_name,
       ts.trainers[1 + pg_temp.pick(p.k, 49, array_length(ts.trainers, 1))] AS trainer_id,
       home.code AS home_commune, home.postcode AS home_postcode,
       emp.org_id AS employer_slot_id
FROM seed_plan p
JOIN seed_training_slot ts ON ts.region = p.region AND ts.slot = pg_temp.pick(p.k, 48, 100)
JOIN seed_place home ON home.region = p.region AND home.slot = pg_temp.pick(p.k, 39, 1000)
JOIN seed_employer_slot emp ON emp.region = p.region AND emp.slot = pg_temp.pick(p.k, 45, 100)
"""

PERSON_SQL = """
CREATE TEMP TABLE seed_person AS
SELECT d.i, d.k,
       CASE WHEN d.u_name < 0.55 THEN s1.name WHEN d.u_name < 0.67 THEN s1.name || '-' || s2.name ELSE b.name END
           AS birth_name,
       CASE WHEN d.u_name < 0.55 THEN s1.folded WHEN d.u_name < 0.67 THEN s1.folded || s2.folded ELSE b.folded END
           AS birth_folded,
       CASE WHEN d.sex = 'F' AND pg_temp.rnd(d.k, 34) < 0.25 THEN u.name ELSE '' END AS usage_name,
       CASE WHEN pg_temp.rnd(d.k, 29) < 0.3 THEN f1.name || ' ' || f2.name ELSE f1.name END AS first_names,
       f1.name AS first_name, f1.folded AS first_folded,
       DATE '1960-01-01' + pg_temp.pick(d.k, 36, least(DATE '2005-12-31', d.t0 - 6000) - DATE '1960-01-01' + 1)
           AS birth_date,
       CASE WHEN d.u_birth < 0.06 THEN NULL WHEN d.u_birth < 0.75 THEN rb.code ELSE nb.code END AS birth_commune,
       CASE WHEN d.u_birth < 0.06 THEN NULL WHEN d.u_birth < 0.75 THEN rb.name ELSE nb.name END AS birth_place,
       CASE WHEN d.u_birth < 0.06 THEN c.code END AS birth_country,
       CASE WHEN d.u_birth < 0.06 THEN gc.name ELSE '' END AS birth_country_name,
       (1 + pg_temp.pick(d.k, 40, 150)) || ' ' || st.name AS address
FROM seed_dossier d
JOIN seed_surname s1 ON s1.idx = floor({surnames} * pg_temp.rnd(d.k, 32) ^ 2)::int
JOIN seed_surname s2 ON s2.idx = pg_temp.pick(d.k, 33, {surnames})
JOIN seed_surname u ON u.idx = floor({surnames} * pg_temp.rnd(d.k, 35) ^ 2)::int
JOIN seed_built_surname b ON b.idx = pg_temp.pick(d.k, 33, {built})
JOIN seed_first_name f1 ON f1.sex = d.sex
     AND f1.idx = pg_temp.pick(d.k, 28, CASE d.sex WHEN 'F' THEN {female} ELSE {male} END)
JOIN seed_first_name f2 ON f2.sex = d.sex
     AND f2.idx = mod(f1.idx + 1 + pg_temp.pick(d.k, 30, CASE d.sex WHEN 'F' THEN {female} ELSE {male} END - 1),
                      CASE d.sex WHEN 'F' THEN {female} ELSE {male} END)
JOIN seed_place rb ON rb.region = d.region AND rb.slot = pg_temp.pick(d.k, 38, 1000)
JOIN seed_place nb ON nb.region = 'FR' AND nb.slot = pg_temp.pick(d.k, 38, 1000)
JOIN seed_country c ON c.idx = pg_temp.pick(d.k, 41, {countries})
JOIN geography_country gc ON gc.code = c.code
JOIN seed_street st ON st.idx = pg_temp.pick(d.k, 42, {streets})
"""

# Jury: decided dossiers of a region grouped by 50 in submission order (closed sessions), those at
# the jury now by 45 on planned sessions; regions with dossiers waiting get a planned session.
SESSION_SQL = """
CREATE TEMP TABLE seed_entry AS
SELECT d.i, d.k, d.region, d.story, d.d_sub, d.story = 'at_jury' AS planned,
       -- A closed session takes the dossiers submitted in its quarter, 50 at most; planned ones take 45.
       CASE WHEN d.story = 'at_jury' THEN (row_number() OVER w - 1) / {planned_size}
            ELSE 1000 * ((d.d_sub - %(start)s::date) / 91) + (row_number() OVER w - 1) / {size} END AS grp,
       row_number() OVER w AS rank
FROM seed_dossier d
WHERE d.story IN ('at_jury', 'adjourned', 'certified', 'not_certified')
WINDOW w AS (PARTITION BY d.region, d.story = 'at_jury',
             CASE WHEN d.story = 'at_jury' THEN 0 ELSE (d.d_sub - %(start)s::date) / 91 END ORDER BY d.d_sub, d.k);

CREATE TEMP TABLE seed_session AS
WITH groups AS (
    SELECT planned, region, grp,
           CASE WHEN planned THEN %(today)s::date + 14 + 14 * grp::int
                ELSE max(d_sub) + 14 + mod(grp, 1000)::int END AS day
    FROM seed_entry GROUP BY planned, region, grp
    UNION ALL
    SELECT true, w.region, 0, %(today)s::date + 21
    FROM (SELECT DISTINCT region FROM seed_dossier WHERE story IN ('awaiting', 'adjourned')) w
    WHERE NOT EXISTS (SELECT 1 FROM seed_entry e WHERE e.planned AND e.region = w.region)
      AND NOT EXISTS (SELECT 1 FROM jury_jurysession js JOIN seed_jury j ON j.org_id = js.organiser_id
                      WHERE js.region_id = w.region AND js.status = 'planned')
)
SELECT (row_number() OVER (ORDER BY planned, region, grp) - 1)::bigint AS si, planned, region, grp, day
FROM groups;
ALTER TABLE seed_session ADD COLUMN id bigint;
UPDATE seed_session SET id = %(session_base)s + si;
ANALYZE seed_entry;
ANALYZE seed_session;
"""


# One row per state change the story implies, in the words the services write (slot = order of the day).
EVENTS_SQL = """
INSERT INTO dossiers_dossierevent (id, at, kind, summary, reason, by_id, dossier_id, organisation_id)
SELECT %(event_base)s + 20 * d.i + ev.slot, ev.at, ev.kind, ev.summary, ev.reason, ev.by_id,
       %(dossier_base)s + d.i, ev.organisation_id
FROM seed_dossier d
LEFT JOIN seed_entry e ON e.i = d.i
LEFT JOIN seed_session s ON s.planned = e.planned AND s.region = e.region AND s.grp = e.grp
LEFT JOIN seed_jury j ON j.region = d.region
LEFT JOIN seed_profile pr ON pr.version_id = d.version_id AND pr.kind = d.profile_kind AND pr.idx = d.profile_idx
LEFT JOIN certificates_certificate c ON c.id = %(certificate_base)s + d.i AND d.story = 'certified'
CROSS JOIN LATERAL (VALUES
    (0, true, pg_temp.at_paris(d.t0, '09:00'), 'opened', 'Dossier ' || d.certification_name || ' ouvert', '',
        d.evaluator_id, d.org_id),
    (1, true, pg_temp.at_paris(d.t0, '09:45'), 'meeting',
        'Réunion d''information du ' || to_char(d.t0, 'DD/MM/YYYY') || ' : '
        || CASE WHEN d.story = 'withdrawn_info' THEN 'ne donne pas suite' ELSE 'poursuit le parcours' END, '',
        d.evaluator_id, d.org_id),
    (2, d.has_initial, pg_temp.at_paris(d.t1, '08:55'), 'initial_started',
        'Évaluation préalable commencée avec ' || d.evaluator_label, '', d.evaluator_id, d.org_id),
    (6, d.initial_closed, pg_temp.at_paris(d.c1, '17:30'), 'initial_closed', pr.initial_summary, pr.initial_reason,
        d.evaluator_id, d.org_id),
    (7, d.has_path, pg_temp.at_paris(d.d_p, '10:00'), 'training_proposed',
        'Parcours de ' || d.hours || ' h proposé chez « ' || d.training_org_name || ' » (' || pr.gaps
        || ' critère(s) visé(s))', '', d.evaluator_id, d.org_id),
    (8, d.has_path AND d.d_mid <= %(today)s::date AND d.d_mid < coalesce(d.end_day, d.f1),
        pg_temp.at_paris(d.d_mid, '18:00'), 'training_progress', 'Avancement noté : ' || (d.hours / 2) || ' h', '',
        d.trainer_id, d.training_org_id),
    (9, d.has_final, pg_temp.at_paris(d.f1, '08:55'), 'final_started',
        'Évaluation finale commencée avec ' || d.evaluator_label, '', d.evaluator_id, d.org_id),
    (12, d.has_final AND d.story <> 'final_open', pg_temp.at_paris(d.c2, '17:30'), 'final_closed',
        pr.final_summary, pr.final_reason, d.evaluator_id, d.org_id),
    (13, d.submitted, pg_temp.at_paris(d.d_sub, '11:00'), 'submitted', 'Dossier présenté au jury',
        'Tous les domaines sont acquis et le seuil de 75 %% des points est atteint.', d.evaluator_id, d.org_id),
    (14, e.i IS NOT NULL, pg_temp.at_paris(least(d.d_sub + 7, s.day - 1), '10:00'), 'on_session',
        'Inscrit à la Jury du ' || to_char(s.day, 'DD/MM/YYYY') || ' — ' || j.name, '', j.user_id, j.org_id),
    (15, e.i IS NOT NULL AND NOT e.planned, pg_temp.at_paris(s.day, '15:00') + make_interval(secs => e.rank),
        'decided', 'Jury du ' || to_char(s.day, 'DD/MM/YYYY') || ' : '
        || CASE d.story WHEN 'certified' THEN 'Certification délivrée' WHEN 'not_certified'
           THEN 'Certification non délivrée' ELSE 'Ajourné' END,
        CASE d.story WHEN 'certified' THEN 'Décision commune des dossiers sans anomalie'
             WHEN 'not_certified' THEN 'Les preuves présentées ne permettent pas au jury de confirmer '
                  || 'les acquis relevés par l''organisme évaluateur.'
             ELSE 'Pièces du dossier incomplètes : réexamen à une prochaine session.' END,
        j.user_id, j.org_id),
    (16, c.id IS NOT NULL, c.issued_at, 'certificate_issued', 'Certificat n° ' || c.number || ' délivré', '',
        c.issued_by_id, d.org_id),
    (19, d.story = 'withdrawn_info', pg_temp.at_paris(d.t0, '10:00'), 'withdrawn', 'Le candidat ne donne pas suite',
        '', d.evaluator_id, d.org_id),
    (19, d.story IN ('withdrawn_initial', 'withdrawn_training'), pg_temp.at_paris(d.end_day, '11:00'), 'withdrawn',
        'Abandon du candidat', 'Le candidat a renoncé au parcours (raisons personnelles).', d.evaluator_id, d.org_id),
    (19, d.story = 'closed', pg_temp.at_paris(d.end_day, '11:00'), 'closed', 'Dossier clôturé sans certification',
        'Sans nouvelles du candidat depuis la fin du parcours de formation.', d.evaluator_id, d.org_id),
    (19, d.story = 'expired', pg_temp.at_paris(d.end_day, '06:00'), 'expired',
        'Délai dépassé le ' || to_char(d.deadline, 'DD/MM/YYYY')
        || ' : une nouvelle évaluation préalable est nécessaire', '', NULL::bigint, d.org_id)
) AS ev(slot, wanted, at, kind, summary, reason, by_id, organisation_id)
WHERE ev.wanted
UNION ALL
SELECT %(event_base)s + 20 * d.i + CASE WHEN si.evaluation_id = %(evaluation_base)s + 2 * d.i THEN 3 ELSE 7 END
           + (si.id - %(sitting_base)s - 5 * d.i),
       si.recorded_at, 'sitting',
       'Séance de ' || CASE WHEN si.evaluation_id = %(evaluation_base)s + 2 * d.i THEN 'évaluation préalable'
                            ELSE 'évaluation finale' END
       || ' le ' || to_char(si.date, 'DD/MM/YYYY') || ' ' || to_char(si.start, 'HH24:MI') || '–'
       || to_char(si."end", 'HH24:MI') || ' (' || si.place || ')', '', si.recorded_by_id, %(dossier_base)s + d.i,
       d.org_id
FROM seed_dossier d JOIN evaluations_sitting si
     ON si.id BETWEEN %(sitting_base)s + 5 * d.i AND %(sitting_base)s + 5 * d.i + 4
"""


@dataclass
class Step:
    table: str
    sql: str


def chunk_steps() -> list[Step]:
    """The inserts of one chunk, in foreign-key order; ``{x_base}`` are the reserved id ranges."""
    return [
        Step(
            "dossiers_candidate",
            """
            INSERT INTO dossiers_candidate (id, public_id, created_at, updated_at, birth_name, usage_name, first_names,
                sex, birth_date, birth_country_id, birth_country_declared, address_line1, address_line2, postcode,
                email, phone, identity_key,
                birth_commune_id, commune_id)
            SELECT %(candidate_base)s + d.i, pg_temp.seed_uuid('candidate', d.k), pg_temp.at_paris(d.t0, '09:00'),
                   pg_temp.at_paris(d.t0, '09:00'), pe.birth_name, pe.usage_name, pe.first_names, d.sex, pe.birth_date,
                   pe.birth_country, '', pe.address, '', d.home_postcode,
                   CASE WHEN pg_temp.rnd(d.k, 43) < 0.7
                        THEN replace(pe.first_folded || '.' || pe.birth_folded, ' ', '') || '@seed.invalid' ELSE '' END,
                   '', pe.birth_folded || '|' || pe.first_folded || '|' || to_char(pe.birth_date, 'YYYY-MM-DD'),
                   pe.birth_commune, d.home_commune
            FROM seed_dossier d JOIN seed_person pe ON pe.i = d.i
            """,
        ),
        Step(
            "dossiers_dossier",
            """
            INSERT INTO dossiers_dossier (id, public_id, created_at, updated_at, state, candidate_status, initiator,
                prescriber_type, consent_at, initial_assessment_date, deadline, candidate_id, certification_id,
                consent_by_id, created_by_id, employer_id, evaluator_id, evaluator_organisation_id, prescriber_id,
                referentiel_version_id)
            SELECT %(dossier_base)s + d.i, pg_temp.seed_uuid('dossier', d.k), pg_temp.at_paris(d.t0, '09:00'),
                   least(now(), pg_temp.at_paris(CASE d.story
                       WHEN 'information' THEN d.t0
                       WHEN 'initial_open' THEN least(d.t1 + 7 * (d.n_init - 1), %(today)s::date)
                       WHEN 'training' THEN CASE WHEN d.has_path THEN d.d_p ELSE d.c1 END
                       WHEN 'final_open' THEN least(d.c2, %(today)s::date)
                       WHEN 'ready' THEN d.d_ready
                       WHEN 'awaiting' THEN d.d_sub
                       WHEN 'at_jury' THEN least(d.d_sub + 7, s.day - 1)
                       WHEN 'certified' THEN s.day + 21
                       WHEN 'not_certified' THEN s.day
                       WHEN 'adjourned' THEN s.day
                       ELSE d.end_day END, '18:00')),
                   d.state, st.status,
                   CASE WHEN d.self_initiated THEN 'self' ELSE 'prescriber' END,
                   CASE WHEN d.self_initiated THEN ''
                        WHEN st.status = 'young_mission_locale' THEN 'mission_locale'
                        WHEN st.status = 'job_seeker' AND pg_temp.rnd(d.k, 47) < 0.6 THEN 'france_travail'
                        ELSE (ARRAY{prescriber_types})[1 + pg_temp.pick(d.k, 47, {prescriber_count})] END,
                   pg_temp.at_paris(d.t0, '09:05'),
                   CASE WHEN d.initial_closed THEN d.c1 END, CASE WHEN d.initial_closed THEN d.deadline END,
                   %(candidate_base)s + d.i, d.certification_id, d.evaluator_id, d.evaluator_id,
                   CASE WHEN st.status = 'employee' THEN d.employer_slot_id END, d.evaluator_id, d.org_id, NULL,
                   d.version_id
            FROM seed_dossier d
            CROSS JOIN LATERAL (SELECT CASE WHEN d.u_status < 0.45 THEN 'employee' WHEN d.u_status < 0.9
                                THEN 'job_seeker' ELSE 'young_mission_locale' END AS status) st
            LEFT JOIN seed_entry e ON e.i = d.i
            LEFT JOIN seed_session s ON s.planned = e.planned AND s.region = e.region AND s.grp = e.grp
            """,
        ),
        Step(
            "dossiers_informationmeeting",
            """
            INSERT INTO dossiers_informationmeeting (id, public_id, date, outcome, notes, recorded_at, adviser_id,
                dossier_id, recorded_by_id)
            SELECT %(meeting_base)s + d.i, pg_temp.seed_uuid('meeting', d.k), d.t0,
                   CASE WHEN d.story = 'withdrawn_info' THEN 'declines' ELSE 'continues' END, '',
                   pg_temp.at_paris(d.t0, '09:45'), d.evaluator_id, %(dossier_base)s + d.i, d.evaluator_id
            FROM seed_dossier d
            """,
        ),
        Step(
            "evaluations_evaluation",
            """
            INSERT INTO evaluations_evaluation (id, public_id, kind, started_at, closed_at, closed_by_id, dossier_id,
                evaluator_id, referentiel_version_id)
            SELECT %(evaluation_base)s + 2 * d.i, pg_temp.seed_uuid('evaluation-initial', d.k), 'initial',
                   pg_temp.at_paris(d.t1, '08:55'),
                   CASE WHEN d.initial_closed THEN pg_temp.at_paris(d.c1, '17:30') END,
                   CASE WHEN d.initial_closed THEN d.evaluator_id END,
                   %(dossier_base)s + d.i, d.evaluator_id, d.version_id
            FROM seed_dossier d WHERE d.has_initial
            UNION ALL
            SELECT %(evaluation_base)s + 2 * d.i + 1, pg_temp.seed_uuid('evaluation-final', d.k), 'final',
                   pg_temp.at_paris(d.f1, '08:55'),
                   CASE WHEN d.story <> 'final_open' THEN pg_temp.at_paris(d.c2, '17:30') END,
                   CASE WHEN d.story <> 'final_open' THEN d.evaluator_id END,
                   %(dossier_base)s + d.i, d.evaluator_id, d.version_id
            FROM seed_dossier d WHERE d.has_final
            """,
        ),
        Step(
            "evaluations_sitting",
            """
            INSERT INTO evaluations_sitting (id, public_id, date, start, "end", duration_minutes, place, recorded_at,
                evaluation_id, recorded_by_id)
            SELECT %(sitting_base)s + 5 * d.i + j.n, pg_temp.seed_uuid('sitting', 5 * d.k + j.n), j.day, j.start,
                   j.start + make_interval(mins => j.minutes), j.minutes, d.city,
                   pg_temp.at_paris(j.day, j.start + make_interval(mins => j.minutes)),
                   %(evaluation_base)s + 2 * d.i + j.final, d.evaluator_id
            FROM seed_dossier d
            CROSS JOIN LATERAL (
                SELECT n, 0 AS final, d.t1 + 7 * n AS day, TIME '09:00' AS start, d.m_init AS minutes
                FROM generate_series(0, d.n_init - 1) AS n WHERE d.has_initial
                UNION ALL
                SELECT 3 + n, 1, d.f1 + 7 * n, TIME '09:00', d.m_fin
                FROM generate_series(0, d.n_fin - 1) AS n WHERE d.has_final
            ) j
            WHERE j.day <= %(today)s::date
            """,
        ),
        Step(
            "evaluations_evaluation_scope",
            """
            INSERT INTO evaluations_evaluation_scope (id, evaluation_id, criterion_id)
            SELECT %(scope_base)s + 256 * d.i + c.pos, %(evaluation_base)s + 2 * d.i, c.id
            FROM seed_dossier d JOIN seed_criterion c ON c.version_id = d.version_id WHERE d.has_initial
            UNION ALL
            SELECT %(scope_base)s + 256 * d.i + 128 + c.pos, %(evaluation_base)s + 2 * d.i + 1, c.id
            FROM seed_dossier d
            JOIN seed_profile pr ON pr.version_id = d.version_id AND pr.kind = d.profile_kind AND pr.idx = d.profile_idx
            JOIN seed_criterion c ON c.version_id = d.version_id
            WHERE d.has_final AND ((pr.gap_lo & c.bit_lo) <> 0 OR (pr.gap_hi & c.bit_hi) <> 0)
            """,
        ),
        Step(
            "evaluations_criterionjudgement",
            """
            INSERT INTO evaluations_criterionjudgement (id, judgement, comment, recorded_at, correction_reason,
                criterion_id, recorded_by_id, evaluation_id)
            SELECT %(judgement_base)s + 256 * d.i + c.pos,
                   CASE WHEN (pr.gap_lo & c.bit_lo) <> 0 OR (pr.gap_hi & c.bit_hi) <> 0
                        THEN 'not_acquired' ELSE 'acquired' END,
                   '', d.initial_judged_at, '',
                   c.id, d.evaluator_id, %(evaluation_base)s + 2 * d.i
            FROM seed_dossier d
            JOIN seed_profile pr ON pr.version_id = d.version_id AND pr.kind = d.profile_kind AND pr.idx = d.profile_idx
            JOIN seed_criterion c ON c.version_id = d.version_id
            WHERE d.has_initial AND (d.initial_closed OR c.pos < d.judged_prefix)
            UNION ALL
            SELECT %(judgement_base)s + 256 * d.i + 128 + c.pos,
                   CASE WHEN (pr.rem_lo & c.bit_lo) <> 0 OR (pr.rem_hi & c.bit_hi) <> 0
                        THEN 'not_acquired' ELSE 'acquired' END,
                   '', d.final_judged_at, '',
                   c.id, d.evaluator_id, %(evaluation_base)s + 2 * d.i + 1
            FROM seed_dossier d
            JOIN seed_profile pr ON pr.version_id = d.version_id AND pr.kind = d.profile_kind AND pr.idx = d.profile_idx
            JOIN seed_criterion c ON c.version_id = d.version_id
            WHERE d.has_final AND ((pr.gap_lo & c.bit_lo) <> 0 OR (pr.gap_hi & c.bit_hi) <> 0)
              AND (d.story <> 'final_open' OR c.pos < d.judged_prefix)
            """,
        ),
        Step(
            "training_trainingpath",
            """
            INSERT INTO training_trainingpath (id, public_id, planned_hours, start_date, end_date, proposed_at,
                dossier_id, proposed_by_id, trainer_id, training_organisation_id)
            SELECT %(path_base)s + d.i, pg_temp.seed_uuid('path', d.k), d.hours, d.d_s, d.d_e,
                   pg_temp.at_paris(d.d_p, '10:00'), %(dossier_base)s + d.i, d.evaluator_id, d.trainer_id,
                   d.training_org_id
            FROM seed_dossier d WHERE d.has_path
            """,
        ),
        Step(
            "training_trainingpath_targets",
            """
            INSERT INTO training_trainingpath_targets (id, trainingpath_id, criterion_id)
            SELECT %(target_base)s + 128 * d.i + c.pos, %(path_base)s + d.i, c.id
            FROM seed_dossier d
            JOIN seed_profile pr ON pr.version_id = d.version_id AND pr.kind = d.profile_kind AND pr.idx = d.profile_idx
            JOIN seed_criterion c ON c.version_id = d.version_id
            WHERE d.has_path AND ((pr.gap_lo & c.bit_lo) <> 0 OR (pr.gap_hi & c.bit_hi) <> 0)
            """,
        ),
        Step(
            "training_progressnote",
            """
            INSERT INTO training_progressnote (id, public_id, date, hours_done, note, recorded_at, recorded_by_id,
                path_id)
            SELECT %(progress_base)s + d.i, pg_temp.seed_uuid('progress', d.k), d.d_mid, d.hours / 2,
                   'Séances sur les critères visés : progression régulière.', pg_temp.at_paris(d.d_mid, '18:00'),
                   d.trainer_id, %(path_base)s + d.i
            FROM seed_dossier d
            WHERE d.has_path AND d.d_mid <= %(today)s::date AND d.d_mid < coalesce(d.end_day, d.f1)
            """,
        ),
        Step(
            "jury_jurysession",
            """
            INSERT INTO jury_jurysession (id, public_id, date, start, place, remote, status, created_at, closed_at,
                minutes, minutes_sha256, closed_by_id, created_by_id, organiser_id, region_id)
            SELECT s.id, pg_temp.seed_uuid('session:' || %(lo)s, s.si), s.day, TIME '14:00',
                   'Transitions Pro, ' || j.city, pg_temp.rnd(s.id, 50) < 0.25,
                   CASE WHEN s.planned THEN 'planned' ELSE 'closed' END,
                   pg_temp.at_paris(least(s.day - 40, %(today)s::date - 1), '10:00'),
                   CASE WHEN NOT s.planned THEN pg_temp.at_paris(s.day, '17:30') END,
                   CASE WHEN NOT s.planned THEN %(minutes)s::bytea END,
                   CASE WHEN s.planned THEN '' ELSE %(minutes_sha256)s END,
                   CASE WHEN NOT s.planned THEN j.user_id END, j.user_id, j.org_id, s.region
            FROM seed_session s JOIN seed_jury j ON j.region = s.region
            """,
        ),
        Step(
            "jury_jurysession_certifications",
            """
            INSERT INTO jury_jurysession_certifications (jurysession_id, certification_id)
            SELECT DISTINCT s.id, d.certification_id
            FROM seed_entry e JOIN seed_session s ON s.planned = e.planned AND s.region = e.region AND s.grp = e.grp
            JOIN seed_dossier d ON d.i = e.i
            UNION
            SELECT s.id, v.certification_id FROM seed_session s JOIN seed_version v ON v.code = 'CLEA'
            WHERE s.planned
            """,
        ),
        Step(
            "jury_jurymember",
            """
            INSERT INTO jury_jurymember (public_id, full_name, college, present, attendance_recorded_at,
                attendance_recorded_by_id, organisation_id, user_id, session_id)
            SELECT pg_temp.seed_uuid('member:' || %(lo)s, 4 * s.si + m.n), f.name || ' ' || sn.name,
                   CASE WHEN m.n < 2 THEN 'employers' ELSE 'employees' END, NOT s.planned,
                   CASE WHEN NOT s.planned THEN pg_temp.at_paris(s.day, '14:05') END,
                   CASE WHEN NOT s.planned THEN j.user_id END, NULL, NULL, s.id
            FROM seed_session s JOIN seed_jury j ON j.region = s.region
            CROSS JOIN generate_series(0, 3) AS m(n)
            JOIN seed_first_name f ON f.sex = CASE WHEN mod(m.n, 2) = 0 THEN 'F' ELSE 'M' END
                 AND f.idx = pg_temp.pick(4 * s.id + m.n, 51, {members})
            JOIN seed_surname sn ON sn.idx = pg_temp.pick(4 * s.id + m.n, 52, {surnames})
            """,
        ),
        Step(
            "jury_sessiondossier",
            """
            INSERT INTO jury_sessiondossier (id, public_id, added_at, precheck_problems, precheck_at, added_by_id,
                dossier_id, session_id)
            SELECT %(entry_base)s + e.i, pg_temp.seed_uuid('entry', e.k),
                   pg_temp.at_paris(least(e.d_sub + 7, s.day - 1), '10:00'), '[]'::jsonb,
                   pg_temp.at_paris(least(e.d_sub + 7, s.day - 1), '10:00'), j.user_id, %(dossier_base)s + e.i, s.id
            FROM seed_entry e JOIN seed_session s ON s.planned = e.planned AND s.region = e.region AND s.grp = e.grp
            JOIN seed_jury j ON j.region = e.region
            """,
        ),
        Step(
            "jury_decision",
            """
            INSERT INTO jury_decision (id, public_id, outcome, reasons, votes_for, votes_against, votes_abstain,
                decided_at, decided_by_id, entry_id)
            SELECT %(decision_base)s + e.i, pg_temp.seed_uuid('decision', e.k),
                   CASE e.story WHEN 'certified' THEN 'awarded' WHEN 'not_certified' THEN 'not_awarded'
                        ELSE 'adjourned' END,
                   CASE e.story WHEN 'certified' THEN 'Décision commune des dossiers sans anomalie'
                        WHEN 'not_certified' THEN 'Les preuves présentées ne permettent pas au jury de confirmer '
                             || 'les acquis relevés par l''organisme évaluateur.'
                        ELSE 'Pièces du dossier incomplètes : réexamen à une prochaine session.' END,
                   CASE WHEN e.story = 'certified' THEN 4 ELSE 3 END, CASE WHEN e.story = 'certified' THEN 0 ELSE 1 END,
                   0, pg_temp.at_paris(s.day, '15:00') + make_interval(secs => e.rank), j.user_id, %(entry_base)s + e.i
            FROM seed_entry e JOIN seed_session s ON s.planned = e.planned AND s.region = e.region AND s.grp = e.grp
            JOIN seed_jury j ON j.region = e.region
            WHERE NOT e.planned
            """,
        ),
        Step(
            "certificates_certificate",
            """
            INSERT INTO certificates_certificate (id, public_id, year, sequence, number, verification_code,
                holder_birth_name, holder_usage_name, holder_first_names, holder_birth_date, holder_sex,
                holder_birth_commune_code, holder_birth_place, holder_birth_country, holder_birth_country_code,
                awarded_on, issued_at, revoked_at,
                revocation_reason, cpf_technical_id, certification_id, decision_id, dossier_id, issued_by_id,
                jury_session_id, revoked_by_id)
            SELECT %(certificate_base)s + x.i, pg_temp.seed_uuid('certificate', x.k), x.year, x.sequence,
                   x.prefix || '-' || x.year || '-' ||
                       CASE WHEN x.sequence < 1000000 THEN lpad(x.sequence::text, 6, '0') ELSE x.sequence::text END,
                   (SELECT string_agg(substr('{alphabet}', get_byte(x.code_bytes, n) %% 30 + 1, 1), '' ORDER BY n)
                    FROM generate_series(0, 19) AS n),
                   pe.birth_name, pe.usage_name, pe.first_names, pe.birth_date, x.sex,
                   coalesce(pe.birth_commune, ''), coalesce(pe.birth_place, ''), pe.birth_country_name,
                   coalesce(pe.birth_country, ''), x.day,
                   pg_temp.at_paris(x.day + 7 + pg_temp.pick(x.session_id, 53, 14), '11:00'), NULL, '',
                   pg_temp.seed_uuid('cpf', x.k), x.certification_id, %(decision_base)s + x.i, %(dossier_base)s + x.i,
                   (SELECT user_id FROM seed_certifier), x.session_id, NULL
            FROM (
                SELECT e.i, e.k, d.sex, d.certification_id, v.prefix, s.day, s.id AS session_id,
                       extract(year FROM s.day)::int AS year,
                       coalesce(cc.last_sequence, 0) + row_number() OVER (
                           PARTITION BY d.certification_id, extract(year FROM s.day) ORDER BY s.day, s.id, e.i
                       ) AS sequence,
                       sha256(convert_to(%(seed)s || ':code:' || e.k, 'UTF8')) AS code_bytes
                FROM seed_entry e
                JOIN seed_session s ON s.planned = e.planned AND s.region = e.region AND s.grp = e.grp
                JOIN seed_dossier d ON d.i = e.i
                JOIN seed_version v ON v.version_id = d.version_id
                LEFT JOIN certificates_certificatecounter cc
                     ON cc.certification_id = d.certification_id AND cc.year = extract(year FROM s.day)
                WHERE e.story = 'certified'
            ) x
            JOIN seed_person pe ON pe.i = x.i
            """,
        ),
        Step(
            "certificates_certificatecounter",
            """
            INSERT INTO certificates_certificatecounter (year, last_sequence, certification_id)
            SELECT c.year, max(c.sequence), c.certification_id FROM certificates_certificate c
            WHERE c.id >= %(certificate_base)s GROUP BY c.certification_id, c.year
            ON CONFLICT (certification_id, year) DO UPDATE
            SET last_sequence = greatest(certificates_certificatecounter.last_sequence, EXCLUDED.last_sequence)
            """,
        ),
        Step(
            "funding_feeentry",
            """
            INSERT INTO funding_feeentry (kind, amount_cents, occurred_at, source, recorded_at, certification_id,
                dossier_id, organisation_id)
            SELECT 'initial_assessment', v.fee_initial, pg_temp.at_paris(d.c1, '17:30'),
                   'initial:' || pg_temp.seed_uuid('evaluation-initial', d.k), pg_temp.at_paris(d.c1, '17:30'),
                   d.certification_id, %(dossier_base)s + d.i, d.org_id
            FROM seed_dossier d JOIN seed_version v ON v.version_id = d.version_id WHERE d.initial_closed
            UNION ALL
            SELECT 'certificate', v.fee_certificate, c.issued_at, 'certificate:' || pg_temp.seed_uuid('decision', d.k),
                   c.issued_at, d.certification_id, %(dossier_base)s + d.i, d.org_id
            FROM seed_dossier d JOIN seed_version v ON v.version_id = d.version_id
            JOIN certificates_certificate c ON c.id = %(certificate_base)s + d.i
            WHERE d.story = 'certified'
            """,
        ),
        Step("dossiers_dossierevent", EVENTS_SQL),
    ]


ID_RANGES = {  # table → ids reserved per dossier of the chunk
    "candidate": ("dossiers_candidate", 1),
    "dossier": ("dossiers_dossier", 1),
    "meeting": ("dossiers_informationmeeting", 1),
    "evaluation": ("evaluations_evaluation", 2),
    "sitting": ("evaluations_sitting", 5),
    "scope": ("evaluations_evaluation_scope", 256),
    "judgement": ("evaluations_criterionjudgement", 256),
    "path": ("training_trainingpath", 1),
    "target": ("training_trainingpath_targets", 128),
    "progress": ("training_progressnote", 1),
    "entry": ("jury_sessiondossier", 1),
    "decision": ("jury_decision", 1),
    "certificate": ("certificates_certificate", 1),
    "event": ("dossiers_dossierevent", 20),
}


def reserve_ids(cursor: Any, table: str, count: int) -> int:
    """First id of ``count`` consecutive ids taken from the table's sequence (the load holds the table)."""
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%s, 'id'), nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
        [table, table, count],
    )
    return int(cursor.fetchone()[0]) - count + 1


@functools.cache
def placeholder_minutes() -> bytes:
    """One small signed-minutes PDF stored on every generated closed session (rendering thousands of
    real minutes would take hours); the minutes page serves it like any other."""
    from weasyprint import HTML

    html = (
        "<html lang='fr'><head><title>Procès-verbal</title></head><body><h1>Procès-verbal de session de jury</h1>"
        "<p>Session générée par seed_national pour les mesures de performance : procès-verbal non reproduit.</p>"
        "</body></html>"
    )
    pdf: bytes = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    return pdf


def seed_chunk(lo: int, hi: int, *, seed: int, today: datetime.date, minutes: bytes, report: SeedReport) -> None:
    """Dossiers ``lo … hi-1``: plan tables, then one ``INSERT … SELECT`` per table."""
    params: dict[str, Any] = {
        "lo": lo,
        "hi": hi,
        "seed": str(seed),
        "today": today,
        "start": START_DAY,
        "minutes": minutes,
        "minutes_sha256": hashlib.sha256(minutes).hexdigest(),
        "force": hi - lo >= FORCED_STAGES_MINIMUM,
    }
    counts = {
        "slots": ORGANISATION_SLOTS,
        "direct": DIRECT_SHARE,
        "profiles": PROFILES,
        "story_case": story_case(),
        "state_case": state_case(),
        "surnames": len(names.SURNAMES),
        "built": len(names.SURNAME_ROOTS) * len(names.SURNAME_ENDINGS),
        "female": len(names.FEMALE_FIRST_NAMES),
        "male": len(names.MALE_FIRST_NAMES),
        "members": min(len(names.MALE_FIRST_NAMES), len(names.FEMALE_FIRST_NAMES)),
        "countries": len(names.BIRTH_COUNTRIES),
        "streets": len(names.STREETS),
        "size": SESSION_SIZE,
        "planned_size": PLANNED_SESSION_SIZE,
        "prescriber_types": "[" + ", ".join(f"'{t}'" for t in PrescriberType.values) + "]",
        "prescriber_count": len(PrescriberType.values),
        "alphabet": "ABCDEFGHJKMNPQRSTVWXYZ23456789",
    }
    with transaction.atomic(), seed_cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        started = time.perf_counter()
        for table in ("seed_plan", "seed_dossier", "seed_person", "seed_entry", "seed_session"):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(PLAN_SQL.format(**counts), params)
        cursor.execute(PLAN2_SQL, params)
        cursor.execute("ALTER TABLE seed_dossier ADD PRIMARY KEY (i)")
        cursor.execute("ANALYZE seed_dossier")
        cursor.execute(PERSON_SQL.format(**counts), params)
        cursor.execute("ALTER TABLE seed_person ADD PRIMARY KEY (i)")
        cursor.execute("ANALYZE seed_person")
        cursor.execute(
            "SELECT count(*) FROM seed_dossier WHERE story IN ('at_jury', 'adjourned', 'certified', 'not_certified') "
        )
        entries = int(cursor.fetchone()[0])
        params["session_base"] = reserve_ids(cursor, "jury_jurysession", entries + 40)
        cursor.execute(SESSION_SQL.format(**counts), params)
        n = hi - lo
        for key, (table, per_dossier) in ID_RANGES.items():
            params[f"{key}_base"] = reserve_ids(cursor, table, n * per_dossier)
        report.add("(plan)", n, time.perf_counter() - started)
        for step in chunk_steps():
            started = time.perf_counter()
            cursor.execute(step.sql.format(**counts), params)
            report.add(step.table, cursor.rowcount, time.perf_counter() - started)


# ----------------------------------------------------------------------------- bulk-load mode


@contextmanager
def indexes_dropped(enabled: bool, write: Callable[[str], None]) -> Iterator[None]:
    """Drop the secondary (non-unique) indexes and foreign keys of the two huge tables during the load,
    then recreate them from their saved definitions: same names, same SQL, validated again."""
    if not enabled:
        yield
        return
    saved: list[tuple[str, str, str, str]] = []  # (table, kind, name, definition)
    with seed_cursor() as cursor:
        # Inside an outer transaction (tests), deferred checks still pending would forbid ALTER TABLE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in BULK_TABLES:
            cursor.execute(
                """
                SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i
                JOIN pg_class c ON c.oid = i.indexrelid
                WHERE i.indrelid = %s::regclass AND NOT i.indisunique
                """,
                [table],
            )
            saved += [(table, "index", name, definition) for name, definition in cursor.fetchall()]
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f'",
                [table],
            )
            saved += [(table, "fk", name, definition) for name, definition in cursor.fetchall()]
        for table, kind, name, _ in saved:
            if kind == "fk":
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            else:
                cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        started = time.perf_counter()
        with seed_cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for _table, kind, _name, definition in saved:
                if kind == "index":
                    cursor.execute(definition)
            for table, kind, name, definition in saved:
                if kind == "fk":
                    cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            cursor.execute("RESET maintenance_work_mem")
        write(f"Index et clés étrangères des grandes tables recréés en {time.perf_counter() - started:.0f} s.")


# ---------------------------------------------------------------------------------- entry point


SEEDED_TABLES = (
    *(step.table for step in chunk_steps()),
    "accounts_user",
    "organisations_organisation",
    "organisations_membership",
    "organisations_habilitation",
    "organisations_habilitation_regions",
)


def seeded_dossier_count() -> int:
    with seed_cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM dossiers_dossier d
            JOIN organisations_organisation o ON o.id = d.evaluator_organisation_id
            WHERE o.kind = 'evaluator' AND o.email LIKE %s
            """,
            [f"contact.%@{SEED_DOMAIN}"],
        )
        return int(cursor.fetchone()[0])


def seed_national(
    target: int,
    *,
    seed: int = DEFAULT_SEED,
    chunk_size: int = DEFAULT_CHUNK,
    today: datetime.date | None = None,
    write: Callable[[str], None] = print,
    allow_any_database: bool = False,
) -> SeedReport:
    """Bring the seeded dossiers up to ``target``; refuses anything but a PostgreSQL bench database."""
    check_database(allow_any_name=allow_any_database)
    problem = missing_prerequisite()
    if problem:
        raise NationalSeedError(problem)
    today = today or timezone.localdate()
    report = SeedReport(existing=seeded_dossier_count())
    started = time.perf_counter()
    plan = plan_structure(seed)
    ids = ensure_structure(plan, seed, today)
    missing = max(0, target - report.existing)
    write(f"{report.existing} dossiers déjà générés ; {missing} à ajouter (objectif {target}).")
    if missing:
        create_reference_tables(plan, ids, active_versions(), seed)
        minutes = placeholder_minutes()
        report.add("(organisations, comptes, tables de référence)", 0, time.perf_counter() - started)
        bulk = missing >= report.existing // 2
        with indexes_dropped(bulk, write):
            for lo in range(report.existing, target, chunk_size):
                hi = min(lo + chunk_size, target)
                chunk_started = time.perf_counter()
                seed_chunk(lo, hi, seed=seed, today=today, minutes=minutes, report=report)
                elapsed = time.perf_counter() - chunk_started
                write(f"  dossiers {lo} à {hi - 1} : {elapsed:.1f} s ({thousands((hi - lo) / elapsed)} dossiers/s)")
        report.added = missing
        # Fresh statistics, or the planner would see the huge tables as nearly empty.
        analyze_started = time.perf_counter()
        with seed_cursor() as cursor:
            for table in SEEDED_TABLES:
                cursor.execute(f"ANALYZE {table}")
        report.add("(ANALYZE)", 0, time.perf_counter() - analyze_started)
    report.seconds = time.perf_counter() - started
    return report


def thousands(number: float) -> str:
    """French grouping of digits: 1 234 567."""
    return f"{number:,.0f}".replace(",", " ")


def format_report(report: SeedReport) -> list[str]:
    lines = [
        f"{thousands(report.added)} dossiers ajoutés en {report.seconds:.1f} s "
        f"(il y en avait {thousands(report.existing)})."
    ]
    for table, stat in report.tables.items():
        rate = f"{thousands(stat.rows / stat.seconds)} lignes/s" if stat.seconds and stat.rows else ""
        lines.append(f"  {table:46} {thousands(stat.rows):>12} lignes {stat.seconds:8.1f} s  {rate}")
    with seed_cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        lines.append(f"Taille de la base : {cursor.fetchone()[0]}.")
    return lines


def bench_accounts_summary() -> list[str]:
    return [f"  {role:10} {email}" for role, email in BENCH_ACCOUNTS.items()]
