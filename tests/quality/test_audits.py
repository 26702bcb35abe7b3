"""Risk signals and audits (docs/rules.md rule 22): signals per organisation against the national
distribution, a seeded weighted sample, the organisation's answer, the certifier's conclusion."""

from __future__ import annotations

import datetime
import random

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from clea.evaluations.models import CriterionJudgement, Sitting
from clea.lib.errors import Conflict, RuleViolation
from clea.quality import audits, signals
from clea.quality.models import Audit, AuditedDossier, Conclusion
from tests.clock import TODAY
from tests.dossiers.builders import dossier_awaiting_jury, dossier_in_training
from tests.factories import pdf_upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("path_setting")]

D = datetime.date
YEAR = signals.Period(D(2026, 1, 1), TODAY)


# --- signals: the pure judgement ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hits", "total", "national", "raised"),
    [
        (9, 10, [0.1, 0.2, 0.1, 0.15, 0.9], True),  # at the top, far above the median
        (9, 9, [0.1, 0.2, 0.1, 0.15, 1.0], False),  # too few cases to judge
        (2, 10, [0.1, 0.2, 0.1, 0.15, 0.2], False),  # at the 90th percentile but not 10 points above the median
        (5, 10, [0.5] * 20, False),  # a flat national distribution flags no one
        (3, 10, [0.1, 0.2, 0.3, 0.4, 0.9], False),  # below the 90th percentile
    ],
)
def test_a_signal_is_raised_at_the_top_of_the_national_distribution_only(hits, total, national, raised):
    assert signals.judge(signals.Measure(hits, total), national)[2] is raised


@given(values=st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=50))
def test_the_90th_percentile_lies_between_the_median_and_the_maximum(values):
    p90 = signals.percentile(values, 0.9)
    assert sorted(values)[len(values) // 2] - 1e-9 <= p90 or len(values) < 3
    assert min(values) - 1e-9 <= p90 <= max(values) + 1e-9


def test_the_explanation_gives_the_figure_the_median_and_the_volume():
    definition = signals.DEFINITIONS[0]
    text = signals.explain(definition, signals.Measure(18, 20), 0.08, 0.2)
    assert text == (
        "90 % des évaluations préalables durent au moins la durée maximale moins un quart d'heure (18 sur 20) ; "
        "médiane nationale 8 %, 9 organismes sur 10 à 20 % ou moins."
    )


# --- signals: what each counts --------------------------------------------------------------------------


def test_each_signal_counts_the_organisations_own_cases(cast):
    org = cast.organisation.pk
    trained = cast.dossier  # préalable closed today (3 h), then a training path
    straight = dossier_awaiting_jury(cast.setting, birth_name="Martin")  # all acquired, sent to the jury
    assert signals.at_limit(cast.clea, YEAR)[org] == signals.Measure(0, 2)
    Sitting.objects.filter(evaluation__dossier=straight).update(duration_minutes=410)
    assert signals.at_limit(cast.clea, YEAR)[org] == signals.Measure(1, 2)
    assert signals.straight_to_jury(cast.clea, YEAR)[org] == signals.Measure(1, 2)
    assert signals.corrections(cast.clea, YEAR)[org] == signals.Measure(0, 2)
    judgement = CriterionJudgement.objects.filter(evaluation__dossier=trained).first()
    CriterionJudgement.objects.create(
        evaluation=judgement.evaluation,
        criterion=judgement.criterion,
        judgement=judgement.judgement,
        recorded_by=cast.evaluator,
        correction_reason="Erreur de saisie",
    )
    assert signals.corrections(cast.clea, YEAR)[org] == signals.Measure(1, 2)
    assert signals.one_evaluator(cast.clea, YEAR)[org] == signals.Measure(2, 2)
    # Nothing outside the period, nothing of another certification.
    assert signals.at_limit(cast.clea, signals.Period(D(2025, 1, 1), D(2025, 12, 31))) == {}
    assert signals.at_limit(cast.campaign.certification, YEAR) == {}


def test_the_signals_page_costs_the_same_whatever_the_number_of_dossiers(cast, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cast.dossier  # noqa: B018
    client.force_login(cast.certifier)
    url = reverse("quality:signals") + f"?certification=CLEA&start=2026-01-01&end={TODAY:%Y-%m-%d}"

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured), response.content.decode()

    before, page = queries()
    assert cast.organisation.name in page
    for name in ("Martin", "Le Gall", "Riou"):
        dossier_in_training(cast.setting, birth_name=name)
    assert queries()[0] == before


# --- the draw -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "rate", "score", "minimum", "maximum", "size"),
    [
        (100, 30, 0, 2, 20, 20),  # 30 capped at the maximum
        (10, 30, 0, 2, 20, 3),
        (10, 30, 2, 2, 20, 5),  # two signals: 30 % × 1.5 = 4.5 → 5
        (3, 30, 0, 2, 20, 2),  # the minimum
        (1, 30, 0, 2, 20, 1),  # never more than the organisation's dossiers
        (40, 20, 7, 2, 20, 20),
    ],
)
def test_sample_size(population, rate, score, minimum, maximum, size):
    assert audits.sample_size(population, rate_percent=rate, score=score, minimum=minimum, maximum=maximum) == size


@given(
    population=st.integers(min_value=0, max_value=500),
    rate=st.integers(min_value=1, max_value=100),
    score=st.integers(min_value=0, max_value=7),
    minimum=st.integers(min_value=1, max_value=20),
    extra=st.integers(min_value=0, max_value=40),
)
def test_sample_size_stays_within_its_bounds_and_grows_with_risk(population, rate, score, minimum, extra):
    maximum = minimum + extra
    size = audits.sample_size(population, rate_percent=rate, score=score, minimum=minimum, maximum=maximum)
    assert min(minimum, population) <= size <= min(maximum, population)
    riskier = audits.sample_size(population, rate_percent=rate, score=score + 1, minimum=minimum, maximum=maximum)
    assert riskier >= size


@given(
    weights=st.lists(st.integers(min_value=1, max_value=5), min_size=0, max_size=60),
    size=st.integers(min_value=0, max_value=60),
    seed=st.integers(min_value=0, max_value=10**9),
)
def test_a_draw_is_a_reproducible_subset_of_the_requested_size(weights, size, seed):
    population = [(pk, w) for pk, w in enumerate(weights, start=1)]
    drawn = audits.draw(population, size, random.Random(seed))
    assert len(drawn) == min(size, len(population)) == len(set(drawn))
    assert set(drawn) <= {pk for pk, _ in population}
    assert audits.draw(population, size, random.Random(seed)) == drawn


def test_riskier_dossiers_are_drawn_more_often():
    population = [(pk, 4 if pk <= 10 else 1) for pk in range(1, 101)]
    heavy = sum(pk <= 10 for seed in range(300) for pk in audits.draw(population, 10, random.Random(seed)))
    # Weight 4 against 1: a heavy dossier is drawn about three times as often as by chance (10 %).
    assert heavy / 3000 > 0.25


# --- opening an audit -----------------------------------------------------------------------------------


def _open(cast, **changes):
    args = {
        "certification": cast.clea,
        "title": "Audit 2026",
        "period": YEAR,
        "rate_percent": 30,
        "minimum": 1,
        "maximum": 20,
        "seed": 7,
        "answer_by": TODAY + datetime.timedelta(days=30),
        "organisations": [cast.organisation],
        "by": cast.certifier,
        "today": TODAY,
    }
    return audits.open_audit(**{**args, **changes})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Indiquez l'intitulé"),
        ({"period": signals.Period(TODAY, D(2026, 1, 1))}, "La fin de la période doit suivre son début."),
        ({"period": signals.Period(D(2026, 1, 1), TODAY + datetime.timedelta(days=1))}, "ne peut pas finir après"),
        ({"rate_percent": 0}, "entre 1 et 100"),
        ({"rate_percent": 101}, "entre 1 et 100"),
        ({"minimum": 0}, "au moins 1 dossier"),
        ({"minimum": 5, "maximum": 4}, "au moins égal au minimum"),
        ({"answer_by": TODAY}, "doit être à venir"),
        ({"minimum": 2}, "L'échantillon minimum (2) dépasse les dossiers de : Évaluateur A n'a que 1 dossier(s)"),
        ({"organisations": [], "min_signals": 1}, "Aucun organisme n'a 1 signal(aux) levé(s)"),
    ],
)
def test_bad_audit_input_is_refused_in_french_and_nothing_is_written(cast, changes, message):
    cast.dossier  # noqa: B018
    with pytest.raises(RuleViolation, match=message.replace("(", r"\(").replace(")", r"\)")):
        _open(cast, **changes)
    assert not Audit.objects.exists()


def test_the_same_seed_draws_the_same_dossiers(cast):
    cast.dossier  # noqa: B018
    for name in ("Martin", "Le Gall", "Riou", "Tanguy", "Morvan"):
        dossier_in_training(cast.setting, birth_name=name)
    first = _open(cast, rate_percent=50).audit
    second = _open(cast, rate_percent=50).audit
    other = _open(cast, rate_percent=50, seed=8).audit

    def drawn(audit):
        return sorted(AuditedDossier.objects.filter(audited__audit=audit).values_list("dossier_id", flat=True))

    assert len(drawn(first)) == 3  # 50 % of 6
    assert drawn(first) == drawn(second)
    assert len(drawn(other)) == 3
    audited = first.organisations.get()
    assert (audited.population, audited.risk_score) == (6, 0)


def test_every_organisation_with_enough_signals_is_audited_and_small_ones_are_named(cast, monkeypatch):
    cast.dossier  # noqa: B018
    monkeypatch.setattr(signals, "MIN_VOLUME", 1)
    opened = _open(cast, organisations=[], min_signals=0, minimum=1)
    assert [a.organisation for a in opened.audit.organisations.all()] == [cast.organisation]
    assert opened.skipped == []


# --- answering and concluding ---------------------------------------------------------------------------


def test_the_organisation_answers_per_dossier_and_sends(cast):
    audited, item = cast.audited, cast.audited_dossier
    with pytest.raises(RuleViolation, match="sans pièce ni commentaire"):
        audits.send_answer(audited, by=cast.org_admin)
    with pytest.raises(RuleViolation, match=r"Joignez une pièce ou écrivez un commentaire\."):
        audits.answer_dossier(item, comment=" ", upload=None, by=cast.evaluator)
    with pytest.raises(RuleViolation, match="doit être un fichier PDF"):
        audits.answer_dossier(item, comment="", upload=pdf_upload("grille.xlsx", b"PK\x03\x04"), by=cast.evaluator)
    assert not item.documents.exists()
    audits.answer_dossier(item, comment="Feuilles d'émargement jointes.", upload=pdf_upload(), by=cast.evaluator)
    audits.send_answer(audited, by=cast.org_admin)
    audited.refresh_from_db()
    assert audited.answered_by == cast.org_admin and item.documents.count() == 1


@pytest.mark.parametrize(
    ("conclusion", "reason", "message"),
    [
        ("", "x", "Choisissez une conclusion."),
        (Conclusion.NON_CONFORM, "", "Motivez"),
        (Conclusion.REMARKS, " ", "Motivez"),
    ],
)
def test_a_conclusion_needs_its_reason(cast, conclusion, reason, message):
    with pytest.raises(RuleViolation, match=message):
        audits.conclude(cast.audited, conclusion=conclusion, reason=reason, by=cast.certifier)


def test_a_conclusion_is_final_and_closes_the_answers(cast, mailoutbox, django_capture_on_commit_callbacks):
    cast.dossier  # noqa: B018 (its own e-mails are not this test's)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        audited = cast.audited
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([cast.org_admin.email], "[CléA] Audit qualité : dossiers à justifier")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        audits.conclude(audited, conclusion=Conclusion.NON_CONFORM, reason="Émargements absents", by=cast.certifier)
    assert mailoutbox[-1].subject == "[CléA] Audit qualité conclu : non conforme"
    assert "Émargements absents" in mailoutbox[-1].body
    with pytest.raises(Conflict, match="déjà conclu"):
        audits.conclude(audited, conclusion=Conclusion.CONFORM, reason="", by=cast.certifier)
    with pytest.raises(Conflict, match="ne reçoit plus de réponse"):
        audits.answer_dossier(cast.audited_dossier, comment="Trop tard", upload=None, by=cast.evaluator)


def test_a_non_conform_conclusion_offers_to_suspend_the_habilitation(cast, client):
    audits.conclude(cast.audited, conclusion=Conclusion.NON_CONFORM, reason="Émargements absents", by=cast.certifier)
    client.force_login(cast.certifier)
    page = client.get(reverse("quality:audited", args=[cast.audited.public_id])).content.decode()
    assert reverse("quality:suspend", args=[cast.habilitation.public_id]) in page
    client.force_login(cast.org_admin)
    page = client.get(reverse("quality:audited", args=[cast.audited.public_id])).content.decode()
    assert "Non conforme" in page and reverse("quality:suspend", args=[cast.habilitation.public_id]) not in page


def test_the_home_pages_show_the_audit_to_answer_and_to_conclude(cast, client):
    cast.audited  # noqa: B018
    client.force_login(cast.org_admin)
    assert "Audits qualité : dossiers tirés à justifier" in client.get(reverse("pages:dashboard")).content.decode()
    audits.answer_dossier(cast.audited_dossier, comment="Voir pièces", upload=None, by=cast.evaluator)
    audits.send_answer(cast.audited, by=cast.org_admin)
    assert "dossiers tirés à justifier" not in client.get(reverse("pages:dashboard")).content.decode()
    client.force_login(cast.certifier)
    assert "organismes audités à conclure" in client.get(reverse("pages:dashboard")).content.decode()


def test_the_audit_form_refuses_a_sample_larger_than_the_organisations_dossiers(cast, client):
    cast.dossier  # noqa: B018
    client.force_login(cast.certifier)
    response = client.post(
        reverse("quality:audit_create"),
        {
            "title": "Audit ciblé",
            "certification": "CLEA",
            "start": "2026-01-01",
            "end": TODAY.isoformat(),
            "rate_percent": 30,
            "minimum": 2,
            "maximum": 20,
            "seed": 11,
            "answer_by": (TODAY + datetime.timedelta(days=30)).isoformat(),
            "organisations": str(cast.organisation.public_id),
        },
    )
    assert response.status_code == 400
    assert "Évaluateur A n&#x27;a que 1 dossier(s) évalué(s) sur la période" in response.content.decode()
    assert not Audit.objects.exists()
