"""The decision engine (docs/rules.md rules 5–7): pure Python, exact arithmetic, explainable in French."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clea.referentiel.documents import parse_json
from clea.referentiel.scoring import (
    Judgement,
    RecordedJudgement,
    UnknownCriterionError,
    assess,
    format_percent,
    latest_judgements,
    meets,
)
from clea.referentiel.structure import (
    CriterionSpec,
    DomainSpec,
    ProfileSpec,
    ReferentielSpec,
    SubdomainSpec,
)

A, N, U = Judgement.ACQUIRED, Judgement.NOT_ACQUIRED, Judgement.NOT_ASSESSED
CLEA_JSON = Path(__file__).resolve().parents[2] / "clea" / "referentiel" / "data" / "clea.json"


def subdomain(
    code: str,
    weights: list[int],
    *,
    threshold: Fraction = Fraction(75),
    mandatory: tuple[int, ...] = (),
) -> SubdomainSpec:
    """Sub-domain ``code`` with criteria ``code.1``, ``code.2``… of the given weights."""
    return SubdomainSpec(
        code=code,
        title=f"Sous-domaine {code}",
        criteria=tuple(
            CriterionSpec(code=f"{code}.{i}", title=f"Critère {code}.{i}", weight=w, mandatory=i in mandatory)
            for i, w in enumerate(weights, 1)
        ),
        threshold_percent=threshold,
    )


def referentiel(*domains: tuple[str, tuple[SubdomainSpec, ...]], overall: Fraction = Fraction(75)) -> ReferentielSpec:
    return ReferentielSpec(
        certification_code="TEST",
        certification_name="Test",
        label="Référentiel de test",
        domains=tuple(DomainSpec(code=c, title=f"Domaine {c}", subdomains=s) for c, s in domains),
        profile=ProfileSpec(overall_threshold_percent=overall),
        version_number=3,
    )


def single(sub: SubdomainSpec) -> ReferentielSpec:
    return referentiel(("1", (sub,)))


# ---------------------------------------------------------------------------------------------
# Sub-domain boundaries
# ---------------------------------------------------------------------------------------------

BOUNDARIES = [
    # (weights, judgements in criterion order, threshold, mandatory, expected acquired, points, total)
    pytest.param([1, 1, 1, 1], [A, A, A, N], Fraction(75), (), True, 3, 4, id="3-of-4-is-75pct-acquired"),
    pytest.param([1, 1, 1], [A, A, N], Fraction(75), (), False, 2, 3, id="2-of-3-not-acquired"),
    pytest.param([1, 1], [A, N], Fraction(75), (), False, 1, 2, id="1-of-2-not-acquired"),
    pytest.param([1, 1, 1, 1], [A, A, A, A], Fraction(75), (), True, 4, 4, id="4-of-4-acquired"),
    pytest.param([1], [N], Fraction(75), (), False, 0, 1, id="0-of-1-not-acquired"),
    pytest.param([1], [A], Fraction(75), (), True, 1, 1, id="1-of-1-acquired"),
    pytest.param([1, 1, 1, 1], [A, A, A, N], Fraction(75), (4,), False, 3, 4, id="3-of-4-but-mandatory-missing"),
    pytest.param([1, 1, 1, 1], [N, A, A, A], Fraction(75), (2,), True, 3, 4, id="3-of-4-mandatory-acquired"),
    pytest.param([1, 1], [A, N], Fraction(50), (), True, 1, 2, id="threshold-50-1-of-2-acquired"),
    pytest.param([1, 1, 1], [N, N, A], Fraction(50), (), False, 1, 3, id="threshold-50-1-of-3-not"),
    pytest.param([2, 1, 1], [A, A, N], Fraction(75), (), True, 3, 4, id="weight-2-plus-1-is-3-of-4"),
    pytest.param([2, 1, 1], [N, A, A], Fraction(75), (), False, 2, 4, id="two-of-three-criteria-2-of-4-pts"),
    pytest.param([1, 1, 1, 1], [A, A, A, U], Fraction(75), (), True, 3, 4, id="not-assessed-no-point-3-of-4"),
    pytest.param([1, 1, 1, 1], [A, A, U, U], Fraction(75), (), False, 2, 4, id="not-assessed-no-point-2-of-4"),
    pytest.param([1, 1, 1], [A, A, N], Fraction("66.67"), (), False, 2, 3, id="2-of-3-below-66.67"),
    pytest.param([1, 1, 1], [A, A, N], Fraction("66.66"), (), True, 2, 3, id="2-of-3-above-66.66"),
    pytest.param([1, 1, 1], [A, A, N], Fraction(200, 3), (), True, 2, 3, id="2-of-3-equals-200/3"),
]


@pytest.mark.parametrize(("weights", "judgements", "threshold", "mandatory", "acquired", "points", "total"), BOUNDARIES)
def test_subdomain_boundaries(weights, judgements, threshold, mandatory, acquired, points, total):
    sub = subdomain("1.1", weights, threshold=threshold, mandatory=mandatory)
    given_judgements = {c.code: j for c, j in zip(sub.criteria, judgements, strict=True) if j is not U}
    result = assess(single(sub), given_judgements).subdomain("1.1")
    assert (result.acquired, result.points, result.total) == (acquired, points, total)
    assert result.ratio == Fraction(points, total)


def test_missing_mandatory_is_reported_and_explained():
    sub = subdomain("1.1", [1, 1, 1, 1], mandatory=(4,))
    result = assess(single(sub), {"1.1.1": A, "1.1.2": A, "1.1.3": A, "1.1.4": N}).subdomain("1.1")
    assert [c.code for c in result.missing_mandatory] == ["1.1.4"]
    assert [c.code for c in result.missing_criteria] == ["1.1.4"]
    assert result.explanation == (
        "Sous-domaine 1.1 « Sous-domaine 1.1 » : 3 points sur 4 (75 %), seuil 75 % : "
        "non acquis, car critère obligatoire non acquis (1.1.4)."
    )


def test_both_reasons_are_given_when_threshold_and_mandatory_fail():
    sub = subdomain("1.1", [1, 1, 1, 1], mandatory=(1,))
    result = assess(single(sub), {"1.1.2": A}).subdomain("1.1")
    assert result.explanation.endswith(
        ": non acquis, car le seuil n'est pas atteint et critère obligatoire non acquis (1.1.1)."
    )
    assert [c.code for c in result.not_assessed] == ["1.1.1", "1.1.3", "1.1.4"]


def test_meets_is_exact():
    assert meets(2, 3, Fraction("66.67")) is False
    assert meets(2, 3, Fraction(200, 3)) is True
    assert meets(3, 4, Fraction(75)) is True
    assert meets(74_999, 100_000, Fraction(75)) is False


# ---------------------------------------------------------------------------------------------
# Overall decision
# ---------------------------------------------------------------------------------------------


def test_every_domain_mastered_but_points_below_overall_threshold_is_not_eligible():
    spec = referentiel(
        ("1", (subdomain("1.1", [1, 1], threshold=Fraction(50)),)),
        ("2", (subdomain("2.1", [1, 1], threshold=Fraction(50)),)),
    )
    result = assess(spec, {"1.1.1": A, "2.1.1": A})
    assert [d.acquired for d in result.domains] == [True, True]
    assert result.missing_domains == ()
    assert (result.points, result.total) == (2, 4)
    assert result.points_met is False
    assert result.eligible is False
    assert "Résultat : le seuil de 75 % des points n'est pas atteint." in result.explanation


def test_exactly_75_percent_overall_with_every_domain_mastered_is_eligible():
    spec = referentiel(
        ("1", (subdomain("1.1", [1, 1], threshold=Fraction(50)),)),
        ("2", (subdomain("2.1", [1, 1]),)),
    )
    result = assess(spec, {"1.1.1": A, "2.1.1": A, "2.1.2": A})
    assert (result.points, result.total) == (3, 4)
    assert result.ratio == Fraction(3, 4)
    assert result.points_met is True
    assert result.eligible is True
    assert result.explanation[2] == (
        "Résultat : les 2 domaines sont maîtrisés et le seuil de 75 % des points est atteint : "
        "le dossier peut aller au jury."
    )


def test_enough_points_but_one_domain_missing_is_not_eligible():
    spec = referentiel(
        ("1", (subdomain("1.1", [1, 1, 1, 1, 1, 1, 1, 1, 1]),)),
        ("2", (subdomain("2.1", [1]),)),
    )
    result = assess(spec, {f"1.1.{i}": A for i in range(1, 10)})
    assert (result.points, result.total, result.points_met) == (9, 10, True)
    assert result.eligible is False
    assert [d.spec.code for d in result.missing_domains] == ["2"]


def test_overall_threshold_comes_from_the_profile():
    sub = subdomain("1.1", [1, 1, 1, 1, 1], threshold=Fraction(60))
    judgements = {"1.1.1": A, "1.1.2": A, "1.1.3": A}
    assert assess(referentiel(("1", (sub,)), overall=Fraction(60)), judgements).eligible is True
    assert assess(referentiel(("1", (sub,)), overall=Fraction(75)), judgements).eligible is False


def test_weights_count_in_overall_points():
    spec = referentiel(("1", (subdomain("1.1", [3, 1]),)), ("2", (subdomain("2.1", [1, 1, 1, 1]),)))
    result = assess(spec, {"1.1.1": A, "2.1.1": A, "2.1.2": A, "2.1.3": A})
    assert (result.points, result.total) == (6, 8)
    assert result.domain("1").points == 3
    assert result.eligible is True


# ---------------------------------------------------------------------------------------------
# Merging evaluations
# ---------------------------------------------------------------------------------------------

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def test_latest_record_counts_prealable_acquired_then_finale_not_acquired():
    records = [
        RecordedJudgement("1.1.1", A, T0),
        RecordedJudgement("1.1.1", N, T0 + timedelta(days=30)),
    ]
    assert latest_judgements(records) == {"1.1.1": N}
    assert latest_judgements(list(reversed(records))) == {"1.1.1": N}


def test_latest_record_counts_not_acquired_then_acquired():
    records = [
        RecordedJudgement("1.1.1", A, T0 + timedelta(hours=1)),
        RecordedJudgement("1.1.1", N, T0),
        RecordedJudgement("1.1.2", N, T0),
    ]
    assert latest_judgements(records) == {"1.1.1": A, "1.1.2": N}


@pytest.mark.parametrize("order", ["forward", "reversed"])
def test_ties_on_recorded_at_are_broken_by_sequence(order):
    records = [
        RecordedJudgement("1.1.1", N, T0, sequence=2),
        RecordedJudgement("1.1.1", A, T0, sequence=1),
        RecordedJudgement("1.1.1", U, T0, sequence=0),
    ]
    if order == "reversed":
        records.reverse()
    assert latest_judgements(records) == {"1.1.1": N}


def test_criteria_acquired_at_prealable_are_kept_when_finale_covers_the_rest():
    sub = subdomain("1.1", [1, 1, 1, 1])
    records = [
        RecordedJudgement("1.1.1", A, T0),
        RecordedJudgement("1.1.2", A, T0),
        RecordedJudgement("1.1.3", N, T0),
        RecordedJudgement("1.1.4", N, T0),
        RecordedJudgement("1.1.3", A, T0 + timedelta(days=90)),
    ]
    result = assess(single(sub), latest_judgements(records))
    assert (result.points, result.eligible) == (3, True)
    assert latest_judgements([]) == {}


# ---------------------------------------------------------------------------------------------
# Refusals, explanations, completeness
# ---------------------------------------------------------------------------------------------


def test_unknown_criterion_code_is_refused_and_listed():
    spec = single(subdomain("1.1", [1, 1]))
    with pytest.raises(UnknownCriterionError) as info:
        assess(spec, {"1.1.1": A, "9.9.9": A, "0.0.1": N})
    assert info.value.codes == ("0.0.1", "9.9.9")
    assert str(info.value) == "Critères inconnus dans ce référentiel : 0.0.1, 9.9.9."


def test_explanation_names_missing_domains_and_subdomains_in_french():
    spec = referentiel(
        ("1", (subdomain("1.1", [1, 1]), subdomain("1.2", [1]))),
        ("2", (subdomain("2.1", [1]), subdomain("2.2", [1]), subdomain("2.3", [1]))),
        ("3", (subdomain("3.1", [1]),)),
    )
    result = assess(spec, {"1.1.1": A, "1.2.1": A, "2.2.1": A, "3.1.1": A})
    assert result.eligible is False
    assert [d.spec.code for d in result.missing_domains] == ["1", "2"]
    assert result.explanation == (
        "Règles appliquées : référentiel Test version 3 (Référentiel de test) ; un sous-domaine est "
        "acquis à partir de son seuil, un domaine quand tous ses sous-domaines le sont ; il faut tous "
        "les domaines et au moins 75 % des points.",
        "Points obtenus : 4 sur 7 (57,1 %).",
        "Résultat : 2 domaines non maîtrisés (1, 2).",
        "Résultat : le seuil de 75 % des points n'est pas atteint.",
        "Domaine 1 « Domaine 1 » : non maîtrisé, 1 sous-domaine à acquérir (1.1).",
        "Domaine 2 « Domaine 2 » : non maîtrisé, 2 sous-domaines à acquérir (2.1, 2.3).",
        "Domaine 3 « Domaine 3 » : maîtrisé.",
        "Sous-domaine 1.1 « Sous-domaine 1.1 » : 1 point sur 2 (50 %), seuil 75 % : "
        "non acquis, car le seuil n'est pas atteint.",
        "Sous-domaine 2.1 « Sous-domaine 2.1 » : 0 point sur 1 (0 %), seuil 75 % : "
        "non acquis, car le seuil n'est pas atteint.",
        "Sous-domaine 2.3 « Sous-domaine 2.3 » : 0 point sur 1 (0 %), seuil 75 % : "
        "non acquis, car le seuil n'est pas atteint.",
    )
    assert [c.code for c in result.missing_criteria] == ["1.1.2", "2.1.1", "2.3.1"]


def test_single_missing_domain_uses_singular():
    spec = referentiel(("1", (subdomain("1.1", [1] * 8),)), ("2", (subdomain("2.1", [1]),)))
    result = assess(spec, {f"1.1.{i}": A for i in range(1, 9)})
    assert "Résultat : 1 domaine non maîtrisé (2)." in result.explanation


@pytest.mark.parametrize(
    ("percent", "text"),
    [
        pytest.param(Fraction("74.99"), "74,9 %", id="74.99-rounds-down"),
        pytest.param(Fraction(75), "75 %", id="75"),
        pytest.param(Fraction("75.09"), "75 %", id="75.09-drops-decimal"),
        pytest.param(Fraction(200, 3), "66,6 %", id="two-thirds"),
        pytest.param(Fraction("66.67"), "66,6 %", id="66.67"),
        pytest.param(Fraction(0), "0 %", id="zero"),
        pytest.param(Fraction(100), "100 %", id="hundred"),
        pytest.param(Fraction("12.5"), "12,5 %", id="12.5"),
    ],
)
def test_format_percent_rounds_down(percent, text):
    assert format_percent(percent) == text


def test_explanation_never_shows_ratio_equal_to_a_threshold_it_misses():
    sub = subdomain("1.1", [1, 1, 1], threshold=Fraction("66.67"))
    result = assess(single(sub), {"1.1.1": A, "1.1.2": A}).subdomain("1.1")
    assert result.acquired is False
    assert "(66,6 %), seuil 66,6 %" not in result.explanation


@pytest.mark.parametrize(
    ("judgements", "complete"),
    [
        pytest.param({"1.1.1": A, "1.1.2": N, "1.1.3": N}, True, id="all-judged-complete"),
        pytest.param({"1.1.1": A, "1.1.2": A}, False, id="one-absent"),
        pytest.param({"1.1.1": A, "1.1.2": A, "1.1.3": U}, False, id="one-explicitly-not-assessed"),
        pytest.param({}, False, id="nothing"),
    ],
)
def test_complete_only_when_every_criterion_is_judged(judgements, complete):
    assert assess(single(subdomain("1.1", [1, 1, 1])), judgements).complete is complete


def test_lookup_of_unknown_result_code_raises_key_error():
    result = assess(single(subdomain("1.1", [1])), {})
    with pytest.raises(KeyError):
        result.subdomain("9.9")
    with pytest.raises(KeyError):
        result.domain("9")


# ---------------------------------------------------------------------------------------------
# Properties on random small référentiels
# ---------------------------------------------------------------------------------------------

THRESHOLDS = [Fraction(1), Fraction(50), Fraction(60), Fraction("66.67"), Fraction(75), Fraction(100)]


@st.composite
def referentiels(draw: st.DrawFn) -> ReferentielSpec:
    domains = []
    for d in range(1, draw(st.integers(1, 4)) + 1):
        subs = []
        for s in range(1, draw(st.integers(1, 4)) + 1):
            criteria = tuple(
                CriterionSpec(
                    code=f"{d}.{s}.{c}",
                    title=f"Critère {d}.{s}.{c}",
                    weight=draw(st.integers(1, 3)),
                    mandatory=draw(st.booleans()),
                )
                for c in range(1, draw(st.integers(1, 5)) + 1)
            )
            subs.append(
                SubdomainSpec(
                    code=f"{d}.{s}",
                    title=f"Sous-domaine {d}.{s}",
                    criteria=criteria,
                    threshold_percent=draw(st.sampled_from(THRESHOLDS)),
                )
            )
        domains.append(DomainSpec(code=str(d), title=f"Domaine {d}", subdomains=tuple(subs)))
    return ReferentielSpec(
        certification_code="PROP",
        certification_name="Propriété",
        label="Aléatoire",
        domains=tuple(domains),
        profile=ProfileSpec(overall_threshold_percent=draw(st.sampled_from(THRESHOLDS))),
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[ReferentielSpec, dict[str, Judgement]]:
    spec = draw(referentiels())
    judgements: dict[str, Judgement] = {}
    for criterion in spec.criteria():
        choice = draw(st.sampled_from([A, N, U, None]))
        if choice is not None:
            judgements[criterion.code] = choice
    return spec, judgements


PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)


@PROPERTY_SETTINGS
@given(case=cases(), data=st.data())
def test_acquiring_one_more_criterion_never_makes_things_worse(case, data):
    spec, judgements = case
    candidates = [c.code for c in spec.criteria() if judgements.get(c.code) != A]
    if not candidates:
        candidates = [c.code for c in spec.criteria()]
    code = data.draw(st.sampled_from(candidates), label="criterion")
    before = assess(spec, judgements)
    after = assess(spec, {**judgements, code: A})
    assert after.points >= before.points
    if judgements.get(code) != A:
        weight = next(c.weight for c in spec.criteria() if c.code == code)
        assert after.points == before.points + weight
    for d_before, d_after in zip(before.domains, after.domains, strict=True):
        assert d_after.acquired or not d_before.acquired
        assert d_after.points >= d_before.points
        for s_before, s_after in zip(d_before.subdomains, d_after.subdomains, strict=True):
            assert s_after.acquired or not s_before.acquired
            assert s_after.points >= s_before.points
    assert after.eligible or not before.eligible
    assert after.points_met or not before.points_met


@PROPERTY_SETTINGS
@given(spec=referentiels())
def test_everything_acquired_is_eligible(spec):
    result = assess(spec, {c.code: A for c in spec.criteria()})
    assert result.eligible is True
    assert result.complete is True
    assert result.points == result.total == sum(c.weight for c in spec.criteria())
    assert result.missing_criteria == ()


@PROPERTY_SETTINGS
@given(spec=referentiels(), data=st.data())
def test_a_whole_domain_missing_is_never_eligible(spec, data):
    domain = data.draw(st.sampled_from(spec.domains), label="missing domain")
    missing = {c.code for s in domain.subdomains for c in s.criteria}
    judgements = {c.code: (data.draw(st.sampled_from([N, U])) if c.code in missing else A) for c in spec.criteria()}
    result = assess(spec, judgements)
    assert result.eligible is False
    assert [d.spec.code for d in result.missing_domains] == [domain.code]
    assert {c.code for c in result.missing_criteria} == missing
    assert f"non maîtrisé ({domain.code})." in " ".join(result.explanation)


@PROPERTY_SETTINGS
@given(case=cases())
def test_points_never_exceed_total_and_eligible_implies_all_domains(case):
    spec, judgements = case
    result = assess(spec, judgements)
    assert 0 <= result.points <= result.total
    assert result.total == sum(c.weight for c in spec.criteria())
    assert result.points == sum(c.weight for c in spec.criteria() if judgements.get(c.code) == A)
    assert result.complete == all(judgements.get(c.code, U) != U for c in spec.criteria())
    if result.eligible:
        assert all(d.acquired for d in result.domains)
        assert all(s.acquired for d in result.domains for s in d.subdomains)
        assert result.points * 100 >= spec.profile.overall_threshold_percent * result.total
    for d in result.domains:
        assert d.acquired == all(s.acquired for s in d.subdomains)
        for s in d.subdomains:
            if s.acquired:
                assert s.missing_mandatory == ()
                assert s.points * 100 >= s.spec.threshold_percent * s.total


# ---------------------------------------------------------------------------------------------
# The real CléA référentiel
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def clea() -> ReferentielSpec:
    return parse_json(CLEA_JSON.read_bytes(), fill_provisional=True).spec


def test_real_clea_counts(clea):
    assert clea.counts() == (7, 28, 106)
    assert clea.provisional is False
    assert [c.code for c in clea.subdomains() if c.code == "2.4"] == ["2.4"]


def test_real_clea_everything_acquired_is_eligible(clea):
    result = assess(clea, {c.code: A for c in clea.criteria()})
    assert (result.points, result.total, result.eligible) == (106, 106, True)


def test_real_clea_missing_the_only_criterion_of_2_4_is_not_eligible(clea):
    only = [c.code for c in clea.subdomains() if c.code == "2.4"]
    sub_2_4 = next(s for s in clea.subdomains() if s.code == "2.4")
    assert only and len(sub_2_4.criteria) == 1
    missing = sub_2_4.criteria[0].code
    result = assess(clea, {c.code: (N if c.code == missing else A) for c in clea.criteria()})
    assert (result.points, result.total) == (105, 106)
    assert result.points_met is True
    assert result.eligible is False
    assert [d.spec.code for d in result.missing_domains] == ["2"]
    assert [s.spec.code for s in result.domain("2").missing_subdomains] == ["2.4"]
    assert "Résultat : 1 domaine non maîtrisé (2)." in result.explanation
