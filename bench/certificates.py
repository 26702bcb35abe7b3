"""Certificates benchmark: a closed jury session of 500 awards, its certificates, its print run.

Measures ``issue_for_session`` (500 certificates), ``create_mailing_batch`` (one PDF of 500 letters and
certificates, 1,000 pages), and WeasyPrint alone (``HTML(string=…).write_pdf()``) on the very HTML the
batch rendered, so what our code adds around the PDF library shows; then ``issue_certificate`` one by
one (median, p95) and the queries per certificate. Long calls are reported with the process's CPU time
too: on a shared machine the wall clock also counts the time spent waiting for a processor.

Set-up: one dossier goes the whole way through the services (open, préalable all acquired, submitted,
put on a session with members present, awarded with the clean dossiers, the session closed by
``close_session``). The other awards are copies of it made with ``bulk_create``: each has its own
candidate (varied names and Bretagne addresses), a certified dossier, a ``SessionDossier`` and an
awarded ``Decision``; the sessions are closed by the service (minutes signed).
"""

from __future__ import annotations

import datetime
import itertools
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.grid_save import (
    Row,
    World,
    build_world,
    evaluator_organisation,
    open_dossier,
    person,
    print_table,
    start,
)
from clea.certificates import documents, services
from clea.certificates.models import Certificate
from clea.dossiers import services as dossier_services
from clea.dossiers.models import Candidate, Dossier, identity_key
from clea.evaluations import services as evaluation_services
from clea.evaluations.models import EvaluationKind
from clea.evaluations.services import GridEntry
from clea.geography.models import Commune
from clea.jury import services as jury_services
from clea.jury.models import Decision, JurySession, Outcome, SessionDossier
from clea.lib.siret import with_check_digit
from clea.organisations.models import Organisation, OrganisationKind, Role

SIZE = 500  # awards of the measured session (services.MAX_BATCH: one batch holds them all)
COUNTED = 50  # awards of the session whose issuance is run with the queries captured
BIRTH_NAMES = (
    "Martin", "Bernard", "Le Gall", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
    "Le Goff", "Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "Morvan", "Fournier", "Girard",
    "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Le Roux", "Guillou", "Faure",
)  # fmt: skip
FIRST_NAMES = (
    ("Léa Marie", "F"), ("Camille", "F"), ("Inès", "F"), ("Manon Louise", "F"), ("Chloé", "F"), ("Sarah", "F"),
    ("Nathalie", "F"), ("Sandrine Anne", "F"), ("Gwenaëlle", "F"), ("Yasmina", "F"), ("Hugo", "M"),
    ("Lucas Pierre", "M"), ("Thomas", "M"), ("Karim", "M"), ("Yann", "M"), ("Jean-Michel", "M"),
    ("Erwan Loïc", "M"), ("Mohamed", "M"), ("Kevin", "M"), ("Olivier", "M"),
)  # fmt: skip
STREETS = ("rue des Lilas", "avenue Janvier", "boulevard de la Liberté", "rue de Brest", "place Sainte-Anne",
           "allée des Mouettes", "rue du Général Leclerc", "impasse des Genêts", "quai Duguay-Trouin")  # fmt: skip
_numbers = itertools.count(1)


@dataclass
class Timing:
    wall: float  # seconds
    cpu: float  # seconds of this process

    def __str__(self) -> str:
        return f"{self.wall:.1f} s (CPU {self.cpu:.1f} s)"


def timed(call) -> tuple[Timing, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return Timing(time.perf_counter() - wall, time.process_time() - cpu), result


@contextmanager
def spied(module, name: str, calls: list):
    """Time every call of ``module.name`` made meanwhile, keeping its arguments: ``(Timing, args)``."""
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        timing, result = timed(lambda: original(*args, **kwargs))
        calls.append((timing, args))
        return result

    setattr(module, name, wrapper)
    try:
        yield calls
    finally:
        setattr(module, name, original)


def bretagne_addresses(world: World) -> list[tuple[Commune, str]]:
    """The 25 most populous communes of Bretagne, each with one of its postcodes."""
    communes = (
        Commune.objects.filter(departement__region=world.region, parent__isnull=True)
        .prefetch_related("postcodes")
        .order_by("-population")[:25]
    )
    return [(c, min(p.code for p in c.postcodes.all())) for c in communes if c.postcodes.all()]


def template_dossier(world: World, organisation: Organisation, evaluator) -> Dossier:
    """Open, préalable with everything acquired, closed, submitted to the jury: all through the services."""
    dossier = open_dossier(world, organisation, evaluator)
    initial = start(world, dossier, evaluator, EvaluationKind.INITIAL, world.today)
    evaluation_services.record_judgements(initial, [GridEntry(c, "acquired") for c in world.codes], by=evaluator)
    evaluation_services.close_evaluation(initial, by=evaluator)
    dossier.refresh_from_db()
    dossier_services.submit_to_jury(dossier, by=evaluator, summary="Tous les domaines sont acquis.")
    dossier.refresh_from_db()
    assert dossier.state == "awaiting_jury", dossier.state
    return dossier


def planned_session(world: World, organiser_org: Organisation, organiser) -> JurySession:
    session = jury_services.create_session(
        organiser=organiser_org,
        date=world.today,
        start=datetime.time(14),
        place="Rennes",
        remote=False,
        region=world.region,
        certifications=[world.certification],
        by=organiser,
    )
    jury_services.add_member(session, full_name="Alain Patron", college="employers")
    jury_services.add_member(session, full_name="Brigitte Salariée", college="employees")
    jury_services.record_attendance(
        session, present_ids=set(session.members.values_list("pk", flat=True)), by=organiser
    )
    return session


def copies(template: Dossier, session: JurySession, count: int, addresses, organiser) -> None:
    """``count`` more awards on the session: each its own candidate, certified dossier, entry, decision."""
    model = Candidate.objects.get(pk=template.candidate_id)
    now = timezone.now()
    candidates = []
    for _ in range(count):
        n = next(_numbers)
        first_names, sex = FIRST_NAMES[n % len(FIRST_NAMES)]
        birth_name = BIRTH_NAMES[(n // len(FIRST_NAMES) + n) % len(BIRTH_NAMES)]
        birth_date = datetime.date(1960, 1, 1) + datetime.timedelta(days=(n * 97) % 15000)
        commune, postcode = addresses[n % len(addresses)]
        candidates.append(
            Candidate(
                public_id=uuid.uuid4(),
                birth_name=birth_name,
                usage_name="Kerbrat" if n % 9 == 0 and sex == "F" else "",
                first_names=first_names,
                sex=sex,
                birth_date=birth_date,
                birth_commune_id=model.birth_commune_id if n % 4 else commune.pk,
                birth_country=None,
                address_line1=f"{n % 120 + 1} {STREETS[n % len(STREETS)]}",
                address_line2="Appartement 12" if n % 7 == 0 else "",
                postcode=postcode,
                commune=commune,
                email=f"candidat{n}@exemple.fr",
                phone="0601020304",
                identity_key=identity_key(birth_name, first_names, birth_date),
            )
        )
    candidates = Candidate.objects.bulk_create(candidates)
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Dossier._meta.concrete_fields
        if f.attname not in ("id", "public_id", "candidate_id", "state", "created_at", "updated_at")
    }
    dossiers = Dossier.objects.bulk_create(
        Dossier(**fields, public_id=uuid.uuid4(), candidate=c, state="certified") for c in candidates
    )
    entries = SessionDossier.objects.bulk_create(
        SessionDossier(session=session, dossier=d, added_by=organiser, precheck_problems=[], precheck_at=now)
        for d in dossiers
    )
    Decision.objects.bulk_create(
        Decision(
            entry=e,
            outcome=Outcome.AWARDED,
            reasons="Décision commune des dossiers sans anomalie",
            votes_for=2,
            decided_by=organiser,
        )
        for e in entries
    )


def closed_session_of(world, size, *, template, organiser_org, organiser, addresses, through_services=False):
    """A closed session with ``size`` awards; the template dossier goes through the jury services."""
    session = planned_session(world, organiser_org, organiser)
    if through_services:
        entries = jury_services.put_on_session(session, [template], by=organiser)
        assert entries[0].is_clean, entries[0].precheck_problems
        jury_services.award_clean_together(session, entries, by=organiser)
        size -= 1
    copies(template, session, size, addresses, organiser)
    jury_services.close_session(session, by=organiser)
    return session


def run(*, runs: int = 30, size: int = SIZE) -> list[str]:
    """Print the table; returns the failure (with its error) if the measures could not run."""
    try:
        measure(runs=max(2, min(runs, 100)), size=size)
    except Exception as exc:  # reported like bench/grid_save.py: the other benchmarks still count
        print(f"ÉCHEC de la mesure certificats : {type(exc).__name__}: {exc}")
        return [f"certificats : {type(exc).__name__}: {exc}"]
    return []


def measure(*, runs: int, size: int) -> None:
    print(f"\nCertificats : session close de {size} dossiers certifiés, émission, lot d'envoi ({size} courriers).")
    started = time.perf_counter()
    world = build_world()
    organisation, evaluator = evaluator_organisation(world, "Évaluateur Bench certificats")
    organiser_org = Organisation.objects.create(
        name="Transitions Pro Bretagne (bench)",
        kind=OrganisationKind.JURY_ORGANISER,
        siret=with_check_digit(f"8{next(_numbers):012d}"),
    )
    certifier_org = Organisation.objects.create(
        name="Certif'Pro (bench)", kind=OrganisationKind.CERTIFIER, siret=with_check_digit(f"7{next(_numbers):012d}")
    )
    organiser = person(organiser_org, Role.JURY_ORGANISER, "Organisatrice")
    certifier = person(certifier_org, Role.CERTIFIER_OFFICER, "Certificatrice")
    addresses = bretagne_addresses(world)
    template = template_dossier(world, organisation, evaluator)
    common = dict(template=template, organiser_org=organiser_org, organiser=organiser, addresses=addresses)

    close_timing, measured = timed(lambda: closed_session_of(world, size, through_services=True, **common))
    counted = closed_session_of(world, COUNTED, **common)
    one_by_one = closed_session_of(world, runs + 1, **common)
    assert Decision.objects.filter(entry__session=measured, outcome=Outcome.AWARDED).count() == size
    print(
        f"Mise en place en {time.perf_counter() - started:.1f} s, dont {close_timing} pour la session mesurée "
        f"(copies, puis close_session et son procès-verbal de {size} dossiers)."
    )

    rows: list[Row] = []
    # 1. The certificates of the session, as the certifier's button does: timed, then counted on another.
    issue, certificates = timed(lambda: services.issue_for_session(measured, by=certifier))
    assert len(certificates) == size and len({c.number for c in certificates}) == size
    with CaptureQueriesContext(connection) as captured:
        assert len(services.issue_for_session(counted, by=certifier)) == COUNTED
    counted_queries = len(captured.captured_queries)
    rows.append(Row(f"issue_for_session ({size} certificats, 1 appel)", [issue.wall]))

    # 2. issue_certificate one decision at a time (the first one is not timed; it gives the queries).
    decisions = list(Decision.objects.filter(entry__session=one_by_one).order_by("entry__added_at", "entry__pk"))
    with CaptureQueriesContext(connection) as captured:
        services.issue_certificate(decisions[0], by=certifier)
    one_queries = len(captured.captured_queries)
    samples = [timed(lambda d=d: services.issue_certificate(d, by=certifier))[0].wall for d in decisions[1:]]
    rows.append(Row("issue_certificate (un certificat)", samples, one_queries))

    # 3. The print run: addresses, sorting, rows, HTML, WeasyPrint, PDF stored on the batch. The HTML
    # and the PDF call are watched from inside, so the HTML WeasyPrint got is the one measured below.
    chosen = list(Certificate.objects.filter(jury_session=measured))
    with (
        CaptureQueriesContext(connection) as captured,
        spied(documents, "render_mailings", []) as html_calls,
        spied(documents, "write_pdf", []) as pdf_calls,
    ):
        batch_timing, batch = timed(lambda: services.create_mailing_batch(chosen, by=certifier))
    batch_queries = len(captured.captured_queries)
    assert batch.size == size and bytes(batch.pdf).startswith(b"%PDF-")
    assert len(html_calls) == 1 and len(pdf_calls) == 1
    (html_timing, _), (inner_pdf_timing, (html,)) = html_calls[0], pdf_calls[0]
    rows.append(Row(f"create_mailing_batch ({size} courriers, PDF compris)", [batch_timing.wall], batch_queries))
    rows.append(Row(f"  dont render_mailings : HTML ({len(html) // 1024} Kio, gabarits + QR)", [html_timing.wall]))
    rows.append(Row("  dont documents.write_pdf (WeasyPrint, pdf/ua-1)", [inner_pdf_timing.wall]))

    # 4. The PDF library alone on the same HTML, with the same options as documents.write_pdf.
    from weasyprint import HTML

    direct, direct_pdf = timed(
        lambda: HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")
    )
    assert direct_pdf.startswith(b"%PDF-")
    rows.append(Row("WeasyPrint seul sur le même HTML, HTML → write_pdf", [direct.wall], 0))
    print_table(rows)

    ours = Timing(batch_timing.wall - inner_pdf_timing.wall, batch_timing.cpu - inner_pdf_timing.cpu)
    rest = Timing(ours.wall - html_timing.wall, ours.cpu - html_timing.cpu)
    print(
        f"Émission de {size} certificats : {issue} ; {issue.wall / size * 1000:.1f} ms par certificat. "
        f"Requêtes : {counted_queries} pour {COUNTED} certificats, soit {counted_queries / COUNTED:.1f} par "
        f"certificat ; {one_queries} pour un certificat émis seul.\n"
        f"Lot de {size} courriers : {batch_timing}, PDF de {len(bytes(batch.pdf)) / 1e6:.1f} Mo. "
        f"Notre code autour de WeasyPrint (lot − son appel à WeasyPrint) : {ours}, "
        f"{ours.cpu / batch_timing.cpu:.0%} du CPU du lot — HTML (gabarits + QR) {html_timing} ; requêtes, "
        f"adresses, tri et enregistrement du PDF {rest}.\n"
        f"WeasyPrint : {inner_pdf_timing} dans le lot, {direct} seul sur le même HTML "
        f"(écart de CPU : {direct.cpu / inner_pdf_timing.cpu - 1:+.0%}).\n"
        f"Durée totale : {time.perf_counter() - started:.1f} s."
    )
