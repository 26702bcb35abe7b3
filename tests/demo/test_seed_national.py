"""``seed_national``: national-scale data written in SQL, checked with the application's own code."""

import io
import re
from collections import Counter, defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.urls import reverse

from clea.accounts.models import User
from clea.certificates.models import Certificate, CertificateCounter
from clea.certificates.services import _take_number
from clea.demo.national import BENCH_ACCOUNTS, NationalSeedError, seed_national, seeded_uuid
from clea.dossiers.models import Candidate, Dossier, DossierEvent, identity_key
from clea.evaluations.models import CriterionJudgement, Evaluation, EvaluationKind
from clea.evaluations.services import dossier_assessment
from clea.jury.models import Decision, JurySession, Outcome, SessionDossier, SessionStatus
from clea.organisations.models import Membership, Role
from clea.referentiel.models import Criterion
from clea.training.models import TrainingPath
from tests.clock import TODAY

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="seed_national écrit en SQL PostgreSQL (generate_series, hashint8extended) : refusé sur SQLite.",
)


def _seed(target: int):
    # The test database is test_<name>: the "bench" guard is lifted for it only, by this keyword.
    return seed_national(target, today=TODAY, allow_any_database=True, write=lambda line: None)


@pytest.fixture
def seeded(referentiels, geography):
    return _seed(400)


def test_refused_on_sqlite_or_outside_a_bench_database():
    if connection.vendor == "sqlite":
        message = "seed_national demande PostgreSQL"
    elif "bench" not in connection.settings_dict["NAME"]:
        message = (
            f"refuse d'écrire dans la base « {connection.settings_dict['NAME']} » : son nom doit contenir « bench »"
        )
    else:
        pytest.skip("la base de test porte « bench » dans son nom : rien à refuser")
    with pytest.raises(NationalSeedError, match=re.escape(message)):
        seed_national(10, today=TODAY)
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("seed_national", "10", stdout=io.StringIO())
    assert not Dossier.objects.exists()


def check_structure_and_bench_accounts():
    for email in BENCH_ACCOUNTS.values():
        assert not User.objects.get(email=email).has_usable_password()
    evaluator = User.objects.get(email=BENCH_ACCOUNTS["evaluator"])
    largest = Membership.objects.get(user=evaluator, role=Role.EVALUATOR).organisation
    sizes = Counter(Dossier.objects.values_list("evaluator_organisation_id", flat=True))
    assert sizes.most_common(1)[0][0] == largest.pk
    assert Membership.objects.filter(organisation__kind="evaluator", role=Role.EVALUATOR).count() == 900
    jury = Membership.objects.get(user__email=BENCH_ACCOUNTS["jury"], role=Role.JURY_ORGANISER).organisation
    assert jury.commune.departement.region_id == largest.commune.departement.region_id
    assert Membership.objects.filter(user__email=BENCH_ACCOUNTS["trainer"], role=Role.TRAINER).exists()
    assert Membership.objects.filter(user__email=BENCH_ACCOUNTS["certifier"], role=Role.CERTIFIER_OFFICER).exists()
    assert largest.habilitations.filter(certification__code="CLEA", regions=jury.commune.departement.region).exists()


def check_identity_keys_match_the_application():
    for birth_name, first_names, birth_date, key in Candidate.objects.values_list(
        "birth_name", "first_names", "birth_date", "identity_key"
    ):
        assert key == identity_key(birth_name, first_names, birth_date)


def check_evaluations_follow_the_rules():
    states = Counter(Dossier.objects.values_list("state", flat=True))
    assert {"certified", "training", "initial_assessment", "awaiting_jury", "withdrawn"} <= set(states)
    total = Criterion.objects.filter(version__certification__code="CLEA").count()
    judged = dict(
        Evaluation.objects.filter(kind=EvaluationKind.INITIAL, closed_at__isnull=False)
        .annotate(n=Count("judgements"))
        .values_list("dossier_id", "n")
    )
    sizes = dict(Criterion.objects.values("version").annotate(n=Count("id")).values_list("version", "n"))
    assert sizes[Dossier.objects.filter(certification__code="CLEA").first().referentiel_version_id] == total
    for dossier in Dossier.objects.filter(initial_assessment_date__isnull=False).select_related(
        "referentiel_version__profile"
    ):
        assert judged[dossier.pk] == sizes[dossier.referentiel_version_id]
        assert dossier.deadline == dossier.compute_deadline()
    minutes = Evaluation.objects.annotate(total=Sum("sittings__duration_minutes")).values_list("kind", "total")
    assert max(t for k, t in minutes if k == EvaluationKind.INITIAL) <= 7 * 60
    assert max(t or 0 for k, t in minutes if k == EvaluationKind.FINAL) <= 3 * 60
    assert Evaluation.objects.filter(closed_at__isnull=True, kind=EvaluationKind.INITIAL).exists()
    for dossier in Dossier.objects.filter(state="training")[:60]:
        assert not dossier_assessment(dossier).eligible
    for path in TrainingPath.objects.select_related("dossier")[:60]:
        assert {c.code for c in path.targets.all()} == {
            c.code for c in dossier_assessment_of_initial(path.dossier).missing_criteria
        }
        assert path.end_date <= path.dossier.deadline


def dossier_assessment_of_initial(dossier):
    """The engine on the préalable alone (what the training path had to target)."""
    from clea.evaluations.services import _spec, judgement_records
    from clea.referentiel.scoring import assess, latest_judgements

    initial = dossier.evaluations.filter(kind=EvaluationKind.INITIAL)
    return assess(_spec(dossier.referentiel_version), latest_judgements(judgement_records(initial)))


def check_jury_decisions_and_certificates_agree_with_the_engine():
    for decision in Decision.objects.select_related("entry__dossier").order_by("outcome", "pk")[:150]:
        dossier = decision.entry.dossier
        # A dossier reaches the jury only when the engine says it may (submit_to_jury needs
        # ready_for_jury): an award needs it, a refusal or an adjournment is the jury's motivated call.
        assert dossier_assessment(dossier).eligible
        assert decision.outcome == {"certified": Outcome.AWARDED, "not_certified": Outcome.NOT_AWARDED}.get(
            dossier.state, Outcome.ADJOURNED
        )
        if decision.outcome != Outcome.AWARDED:
            assert decision.reasons.strip()
    certified = Dossier.objects.filter(state="certified")
    assert certified.exists()
    assert Certificate.objects.count() == certified.count()
    assert not certified.exclude(certificates__decision__outcome=Outcome.AWARDED).exists()
    sizes = SessionDossier.objects.values("session").annotate(n=Count("id")).values_list("n", flat=True)
    assert max(sizes) <= 50
    closed = JurySession.objects.filter(status=SessionStatus.CLOSED)
    assert not closed.filter(minutes_sha256="").exists()
    colleges = closed.filter(members__present=True).values("pk").annotate(n=Count("members__college", distinct=True))
    assert {row["n"] for row in colleges} == {2} and len(colleges) == closed.count()
    waiting = Dossier.objects.filter(state__in=["awaiting_jury", "adjourned"]).values_list(
        "evaluator_organisation__commune__departement__region", flat=True
    )
    planned = set(JurySession.objects.filter(status=SessionStatus.PLANNED).values_list("region", flat=True))
    assert set(waiting) <= planned


def check_certificate_numbers_have_no_gap_and_the_app_continues_them():
    sequences = defaultdict(list)
    for certification_id, year, sequence, number in Certificate.objects.values_list(
        "certification_id", "year", "sequence", "number"
    ):
        sequences[certification_id, year].append(sequence)
        assert number.endswith(f"-{year}-{sequence:06d}")
    for (certification_id, year), numbers in sequences.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
        counter = CertificateCounter.objects.get(certification_id=certification_id, year=year)
        assert counter.last_sequence == len(numbers)
        with transaction.atomic():
            assert _take_number(counter.certification, year) == len(numbers) + 1
            transaction.set_rollback(True)


def check_timeline_has_an_event_per_step():
    kinds = defaultdict(set)
    for dossier_id, kind in DossierEvent.objects.values_list("dossier_id", "kind"):
        kinds[dossier_id].add(kind)
    for dossier in Dossier.objects.all():
        assert "opened" in kinds[dossier.pk]
        if dossier.initial_assessment_date:
            assert {"initial_started", "sitting", "initial_closed"} <= kinds[dossier.pk]
        if dossier.state == "certified":
            assert {"submitted", "on_session", "decided", "certificate_issued"} <= kinds[dossier.pk]
        if dossier.state in ("withdrawn", "closed", "expired"):
            assert dossier.state in kinds[dossier.pk]
    assert (
        CriterionJudgement.objects.filter(comment="", correction_reason="").count()
        == CriterionJudgement.objects.count()
    )


@on_postgresql
def test_seeds_grows_and_keeps_the_rules(seeded, client):
    assert seeded.added == 400 and Dossier.objects.count() == 400
    first_ids = set(Dossier.objects.values_list("public_id", flat=True))
    organisations = Membership.objects.count()
    report = _seed(600)
    assert (report.existing, report.added) == (400, 200)
    assert Dossier.objects.count() == 600
    assert first_ids < set(Dossier.objects.values_list("public_id", flat=True))
    assert Membership.objects.count() == organisations  # structure created once
    assert _seed(600).added == 0
    # Deterministic: dossier k carries the public id the seed gives it.
    assert Dossier.objects.filter(public_id=seeded_uuid(2026, "dossier", 599)).exists()
    # Every invariant, checked with the application's own code on the grown data.
    check_structure_and_bench_accounts()
    check_identity_keys_match_the_application()
    check_evaluations_follow_the_rules()
    check_jury_decisions_and_certificates_agree_with_the_engine()
    check_certificate_numbers_have_no_gap_and_the_app_continues_them()
    check_timeline_has_an_event_per_step()
    check_bench_accounts_see_their_pages(client)


def check_bench_accounts_see_their_pages(client):
    evaluator = User.objects.get(email=BENCH_ACCOUNTS["evaluator"])
    client.force_login(evaluator)
    assert client.get(reverse("dossiers:list")).status_code == 200
    organisation = Membership.objects.get(user=evaluator).organisation
    for state in ("certified", "training"):
        dossier = (
            Dossier.objects.filter(evaluator_organisation=organisation, state=state).first()
            or Dossier.objects.filter(state=state).first()
        )
        if dossier.evaluator_organisation != organisation:
            client.force_login(Membership.objects.filter(organisation=dossier.evaluator_organisation).first().user)
        answer = client.get(reverse("dossiers:detail", args=[dossier.public_id]))
        assert answer.status_code == 200
        assert (dossier.candidate.usage_name or dossier.candidate.birth_name).upper() in answer.content.decode()
        client.force_login(evaluator)
    jury = User.objects.get(email=BENCH_ACCOUNTS["jury"])
    client.force_login(jury)
    session = JurySession.objects.filter(organiser__memberships__user=jury).order_by("status").first()
    assert client.get(reverse("jury:detail", args=[session.public_id])).status_code == 200
