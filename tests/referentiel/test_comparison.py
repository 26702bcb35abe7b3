"""Comparing two versions of a référentiel, matched by stable codes."""

from __future__ import annotations

import json
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from clea.referentiel.comparison import ADDED, CHANGED, REMOVED, Change, compare
from clea.referentiel.documents import parse_json
from clea.referentiel.structure import (
    CriterionSpec,
    DomainSpec,
    ProfileSpec,
    ReferentielSpec,
    SubdomainSpec,
)

DATA = Path(__file__).resolve().parents[2] / "clea" / "referentiel" / "data"


def base() -> ReferentielSpec:
    return ReferentielSpec(
        certification_code="X",
        certification_name="Certif X",
        label="v1",
        domains=(
            DomainSpec(
                "1",
                "Domaine un",
                (
                    SubdomainSpec(
                        "1.1",
                        "Sous un",
                        (CriterionSpec("1.1.1", "Critère a"), CriterionSpec("1.1.2", "Critère b")),
                    ),
                    SubdomainSpec("1.2", "Sous deux", (CriterionSpec("1.2.1", "Critère c"),), Fraction(50)),
                ),
            ),
            DomainSpec("2", "Domaine deux", (SubdomainSpec("2.1", "Sous trois", (CriterionSpec("2.1.1", "D"),)),)),
        ),
    )


def with_domains(spec: ReferentielSpec, *domains: DomainSpec) -> ReferentielSpec:
    return replace(spec, domains=domains)


def test_identical_versions_have_no_change():
    assert compare(base(), base()) == []


def test_label_version_number_and_source_are_not_structural_changes():
    after = replace(base(), label="v2", version_number=2, source="ailleurs", provisional=True)
    assert compare(base(), after) == []


def test_added_criterion():
    before = base()
    d1, d2 = before.domains
    s11 = d1.subdomains[0]
    s11 = replace(s11, criteria=(*s11.criteria, CriterionSpec("1.1.3", "Critère nouveau")))
    after = with_domains(before, replace(d1, subdomains=(s11, d1.subdomains[1])), d2)
    assert compare(before, after) == [Change("critère", "1.1.3", ADDED, after="Critère nouveau")]


def test_removed_subdomain_lists_its_criteria_too():
    before = base()
    d1, d2 = before.domains
    after = with_domains(before, replace(d1, subdomains=(d1.subdomains[0],)), d2)
    assert compare(before, after) == [
        Change("sous-domaine", "1.2", REMOVED, before="Sous deux"),
        Change("critère", "1.2.1", REMOVED, before="Critère c"),
    ]


def test_added_domain():
    before = base()
    new = DomainSpec("3", "Domaine trois", (SubdomainSpec("3.1", "Sous", (CriterionSpec("3.1.1", "E"),)),))
    changes = compare(before, with_domains(before, *before.domains, new))
    assert [(c.level, c.code, c.kind, c.after) for c in changes] == [
        ("domaine", "3", ADDED, "Domaine trois"),
        ("sous-domaine", "3.1", ADDED, "Sous"),
        ("critère", "3.1.1", ADDED, "E"),
    ]


def test_changed_domain_title():
    before = base()
    d1, d2 = before.domains
    after = with_domains(before, d1, replace(d2, title="Domaine 2 renommé"))
    changes = compare(before, after)
    assert changes == [Change("domaine", "2", CHANGED, "title", "Domaine deux", "Domaine 2 renommé")]
    assert changes[0].field_label == "intitulé"


def test_changed_criterion_title_indicator_weight_and_mandatory():
    before = base()
    d1, d2 = before.domains
    s11 = d1.subdomains[0]
    c2 = replace(s11.criteria[1], title="Critère B", indicator="Observer", weight=2, mandatory=True)
    s11 = replace(s11, criteria=(s11.criteria[0], c2))
    after = with_domains(before, replace(d1, subdomains=(s11, d1.subdomains[1])), d2)
    changes = compare(before, after)
    assert changes == [
        Change("critère", "1.1.2", CHANGED, "title", "Critère b", "Critère B"),
        Change("critère", "1.1.2", CHANGED, "indicator", "", "Observer"),
        Change("critère", "1.1.2", CHANGED, "weight", "1", "2"),
        Change("critère", "1.1.2", CHANGED, "mandatory", "non", "oui"),
    ]
    assert [c.field_label for c in changes] == ["intitulé", "indicateur", "points", "obligatoire"]


@pytest.mark.parametrize(
    ("threshold", "shown"),
    [
        pytest.param(Fraction(60), "60", id="integer"),
        pytest.param(Fraction("66.67"), "66.67", id="decimal"),
    ],
)
def test_changed_threshold(threshold, shown):
    before = base()
    d1, d2 = before.domains
    s12 = replace(d1.subdomains[1], threshold_percent=threshold)
    after = with_domains(before, replace(d1, subdomains=(d1.subdomains[0], s12)), d2)
    changes = compare(before, after)
    assert changes == [Change("sous-domaine", "1.2", CHANGED, "threshold_percent", "50", shown)]
    assert changes[0].field_label == "seuil (%)"


def test_criterion_moved_to_another_subdomain():
    before = base()
    d1, d2 = before.domains
    s11, s12 = d1.subdomains
    moved = s11.criteria[1]
    after = with_domains(
        before,
        replace(
            d1,
            subdomains=(replace(s11, criteria=(s11.criteria[0],)), replace(s12, criteria=(*s12.criteria, moved))),
        ),
        d2,
    )
    changes = compare(before, after)
    assert changes == [Change("critère", "1.1.2", CHANGED, "parent", "1.1", "1.2")]
    assert changes[0].field_label == "rattachement"


def test_subdomain_moved_to_another_domain():
    before = base()
    d1, d2 = before.domains
    after = with_domains(
        before,
        replace(d1, subdomains=(d1.subdomains[0],)),
        replace(d2, subdomains=(*d2.subdomains, d1.subdomains[1])),
    )
    assert compare(before, after) == [Change("sous-domaine", "1.2", CHANGED, "parent", "1", "2")]


def test_changed_profile_values_come_first():
    before = base()
    d1, d2 = before.domains
    after = replace(
        with_domains(before, d1, replace(d2, title="Autre")),
        profile=ProfileSpec(overall_threshold_percent=Fraction("80.5"), fee_certificate_cents=1000),
    )
    changes = compare(before, after)
    assert changes == [
        Change("profil", "", CHANGED, "overall_threshold_percent", "75", "80.5"),
        Change("profil", "", CHANGED, "fee_certificate_cents", "500", "1000"),
        Change("domaine", "2", CHANGED, "title", "Domaine deux", "Autre"),
    ]
    assert changes[0].field_label == "seuil global (%)"
    assert changes[1].field_label == "redevance certificat (centimes)"


def test_renumbered_code_is_a_removal_plus_an_addition():
    before = base()
    d1, d2 = before.domains
    s21 = d2.subdomains[0]
    s21 = replace(s21, criteria=(CriterionSpec("2.1.9", "D"),))
    after = with_domains(before, d1, replace(d2, subdomains=(s21,)))
    assert compare(before, after) == [
        Change("critère", "2.1.1", REMOVED, before="D"),
        Change("critère", "2.1.9", ADDED, after="D"),
    ]


def test_comparison_is_symmetric_in_kinds():
    before = base()
    after = with_domains(before, before.domains[0])
    forward = compare(before, after)
    backward = compare(after, before)
    assert [(c.level, c.code, c.kind) for c in forward] == [
        ("domaine", "2", REMOVED),
        ("sous-domaine", "2.1", REMOVED),
        ("critère", "2.1.1", REMOVED),
    ]
    assert [(c.level, c.code, c.kind) for c in backward] == [
        ("domaine", "2", ADDED),
        ("sous-domaine", "2.1", ADDED),
        ("critère", "2.1.1", ADDED),
    ]
    assert [c.before for c in forward] == [c.after for c in backward] == ["Domaine deux", "Sous trois", "D"]


def test_real_clea_edited_file():
    raw = json.loads((DATA / "clea.json").read_text(encoding="utf-8"))
    clea = parse_json(json.dumps(raw)).spec
    assert compare(clea, clea) == []
    raw["domains"][1]["subdomains"][3]["thresholdPercent"] = "100"
    old_title = raw["domains"][6]["subdomains"][3]["criteria"][0]["title"]
    raw["domains"][6]["subdomains"][3]["criteria"][0]["title"] = "Nouvel intitulé"
    raw["ruleProfile"] = {"feeCertificateCents": 600}
    changes = compare(clea, parse_json(json.dumps(raw)).spec)
    assert changes == [
        Change("profil", "", CHANGED, "fee_certificate_cents", "500", "600"),
        Change("sous-domaine", "2.4", CHANGED, "threshold_percent", "75", "100"),
        Change("critère", "7.4.1", CHANGED, "title", old_title, "Nouvel intitulé"),
    ]
