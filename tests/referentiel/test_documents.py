"""Référentiel files: JSON and CSV read and written back, and every refusal with its French message."""

from __future__ import annotations

import copy
import csv
import io
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from clea.referentiel.documents import (
    MAX_ERRORS,
    DocumentError,
    parse_csv,
    parse_json,
    to_csv,
    to_json,
)
from clea.referentiel.structure import (
    CriterionSpec,
    DomainSpec,
    ProfileSpec,
    ReferentielSpec,
    SubdomainSpec,
)

DATA = Path(__file__).resolve().parents[2] / "clea" / "referentiel" / "data"


def sample_spec() -> ReferentielSpec:
    """Everything a file can carry: weights, mandatory flags, decimal thresholds, a custom profile."""
    return ReferentielSpec(
        certification_code="CLEA_TEST",
        certification_name="CléA test",
        label="Édition d'essai",
        source="https://example.org/référentiel",
        domains=(
            DomainSpec(
                code="1",
                title="Communiquer en français",
                subdomains=(
                    SubdomainSpec(
                        code="1.1",
                        title="Écouter, comprendre; et « répondre »",
                        criteria=(
                            CriterionSpec("1.1.1", "Repérer l'objet, le sens", "Indicateur, avec virgule"),
                            CriterionSpec("1.1.2", 'Dire "bonjour"; poliment', weight=2, mandatory=True),
                            CriterionSpec("1.1.3", "Reformuler", weight=3),
                        ),
                        threshold_percent=Fraction("66.67"),
                    ),
                    SubdomainSpec(
                        code="1.2",
                        title="Lire",
                        criteria=(CriterionSpec("1.2.1", "Lire un plan"),),
                        threshold_percent=Fraction(50),
                    ),
                ),
            ),
            DomainSpec(
                code="2",
                title="Calculer",
                subdomains=(
                    SubdomainSpec(
                        code="2.1",
                        title="Se repérer",
                        criteria=(CriterionSpec("2.1.1", "Compter", mandatory=True),),
                        threshold_percent=Fraction("87.5"),
                    ),
                ),
            ),
        ),
        profile=ProfileSpec(
            overall_threshold_percent=Fraction("80.5"),
            max_initial_assessment_minutes=400,
            max_final_assessment_minutes=150,
            path_validity_years=4,
            jury_min_members_per_college=2,
            fee_initial_assessment_cents=2500,
            fee_certificate_cents=750,
        ),
    )


def minimal() -> dict[str, Any]:
    return {
        "code": "X",
        "name": "Certif X",
        "label": "v1",
        "domains": [
            {
                "code": "1",
                "title": "Domaine un",
                "subdomains": [
                    {
                        "code": "1.1",
                        "title": "Sous-domaine un",
                        "criteria": [
                            {"code": "1.1.1", "title": "Critère un"},
                            {"code": "1.1.2", "title": "Critère deux"},
                        ],
                    }
                ],
            }
        ],
    }


def json_errors(data: Any, **kwargs: Any) -> list[str]:
    content = data if isinstance(data, bytes | str) else json.dumps(data, ensure_ascii=False)
    with pytest.raises(DocumentError) as info:
        parse_json(content, **kwargs)
    assert str(info.value) == " ".join(info.value.errors)
    return info.value.errors


CSV_HEADER = "kind,code,parent_code,title,indicator,threshold_percent,weight,mandatory\n"


def csv_errors(content: str | bytes) -> list[str]:
    with pytest.raises(DocumentError) as info:
        parse_csv(content, certification_code="X", certification_name="Certif X")
    return info.value.errors


def criterion(**changes: Any) -> dict[str, Any]:
    data = minimal()
    data["domains"][0]["subdomains"][0]["criteria"][0].update(changes)
    return data


def with_threshold(value: Any) -> dict[str, Any]:
    data = minimal()
    data["domains"][0]["subdomains"][0]["thresholdPercent"] = value
    return data


# ---------------------------------------------------------------------------------------------
# Round trips
# ---------------------------------------------------------------------------------------------


def test_json_round_trip_keeps_domains_profile_and_metadata():
    spec = sample_spec()
    text = to_json(spec, full_name="Certificat de test", certifier_name="Certif'Test")
    document = parse_json(text)
    assert document.spec.domains == spec.domains
    assert document.spec.profile == spec.profile
    assert document.has_profile is True
    assert (document.spec.certification_code, document.spec.certification_name) == (
        "CLEA_TEST",
        "CléA test",
    )
    assert document.spec.label == "Édition d'essai"
    assert document.spec.source == "https://example.org/référentiel"
    assert (document.full_name, document.certifier_name) == ("Certificat de test", "Certif'Test")
    assert document.declared_counts == {"domains": 2, "subdomains": 3, "criteria": 5}
    # Same result when the file arrives as UTF-8 bytes, and the output is written unescaped.
    assert parse_json(text.encode("utf-8")).spec == document.spec
    assert "« répondre »" in text


def test_json_output_is_stable_data():
    data = json.loads(to_json(sample_spec()))
    assert data["ruleProfile"]["overallThresholdPercent"] == "80.5"
    assert data["ruleProfile"]["feeCertificateCents"] == 750
    sub = data["domains"][0]["subdomains"][0]
    assert sub["thresholdPercent"] == "66.67"
    assert sub["criteria"][1] == {
        "code": "1.1.2",
        "title": 'Dire "bonjour"; poliment',
        "indicator": "",
        "weight": 2,
        "mandatory": True,
    }
    assert data["domains"][1]["subdomains"][0]["thresholdPercent"] == "87.5"
    assert data["domains"][0]["subdomains"][1]["thresholdPercent"] == "50"


def test_provisional_flag_survives_json_round_trip():
    spec = ReferentielSpec(
        certification_code="N",
        certification_name="Num",
        label="prov",
        domains=sample_spec().domains,
        provisional=True,
    )
    assert parse_json(to_json(spec)).spec.provisional is True
    assert parse_json(to_json(sample_spec())).spec.provisional is False


def rewrite_csv(text: str, delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(csv.reader(io.StringIO(text)))
    return out.getvalue()


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda s: s, id="comma-str"),
        pytest.param(lambda s: rewrite_csv(s, ";"), id="semicolon-str-crlf"),
        pytest.param(lambda s: s.encode("utf-8"), id="comma-bytes"),
        pytest.param(lambda s: b"\xef\xbb\xbf" + rewrite_csv(s, ";").encode("utf-8"), id="semicolon-bom"),
        pytest.param(lambda s: "\ufeff" + s, id="comma-bom-str"),
    ],
)
def test_csv_round_trip(encode):
    spec = sample_spec()
    document = parse_csv(
        encode(to_csv(spec)), certification_code="CLEA_TEST", certification_name="CléA test", label="L"
    )
    assert document.spec.domains == spec.domains
    # A CSV file carries no rule profile: the default one is used and the importer is told so.
    assert document.has_profile is False
    assert document.spec.profile == ProfileSpec()
    assert document.spec.label == "L"


def test_csv_output_shape():
    lines = to_csv(sample_spec()).splitlines()
    assert lines[0] == "kind,code,parent_code,title,indicator,threshold_percent,weight,mandatory"
    assert lines[1] == "domaine,1,,Communiquer en français,,,,"
    assert lines[2] == 'sous-domaine,1.1,1,"Écouter, comprendre; et « répondre »",,66.67,,'
    assert lines[4] == 'critère,1.1.2,1.1,"Dire ""bonjour""; poliment",,,2,oui'
    assert len(lines) == 1 + 2 + 3 + 5


def test_csv_accepts_blank_lines_any_order_and_french_values():
    content = (
        CSV_HEADER
        + "critère,1.1.1,1.1,Critère,,,2,Oui\n"
        + ",,,,,,,\n"
        + "\n"
        + 'Sous-domaine,1.1,1,Sous,,"66,67",,\n'
        + "DOMAINE,1,,Dom,,,,\n"
    )
    spec = parse_csv(content, certification_code="X", certification_name="Certif X").spec
    assert spec.counts() == (1, 1, 1)
    sub = spec.domains[0].subdomains[0]
    assert sub.threshold_percent == Fraction("66.67")
    assert sub.criteria[0] == CriterionSpec("1.1.1", "Critère", weight=2, mandatory=True)
    assert spec.label == "Référentiel Certif X"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(True, True, id="json-true"),
        pytest.param(False, False, id="json-false"),
        pytest.param("oui", True, id="oui"),
        pytest.param("VRAI", True, id="vrai"),
        pytest.param("1", True, id="one"),
        pytest.param("non", False, id="non"),
        pytest.param("", False, id="empty"),
        pytest.param(None, False, id="null"),
    ],
)
def test_mandatory_values(value, expected):
    spec = parse_json(json.dumps(criterion(mandatory=value))).spec
    assert spec.criteria()[0].mandatory is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(50, Fraction(50), id="json-int"),
        pytest.param(66.67, Fraction("66.67"), id="json-float-exact-decimal"),
        pytest.param("66,67", Fraction("66.67"), id="french-comma"),
        pytest.param("100", Fraction(100), id="hundred"),
        pytest.param("0.5", Fraction(1, 2), id="half-percent"),
        pytest.param(None, Fraction(75), id="default"),
    ],
)
def test_accepted_thresholds(value, expected):
    assert parse_json(json.dumps(with_threshold(value))).spec.subdomains()[0].threshold_percent == expected


# ---------------------------------------------------------------------------------------------
# Refusals
# ---------------------------------------------------------------------------------------------


def test_broken_json_gives_line_and_column():
    assert json_errors(b'{"code": "X",\n  "name": }') == ["Le fichier n'est pas un JSON valide (ligne 2, colonne 11)."]
    assert json_errors(b"") == ["Le fichier n'est pas un JSON valide (ligne 1, colonne 1)."]


def test_json_not_utf8():
    content = json.dumps(minimal(), ensure_ascii=False).replace("Critère", "Crit\u00e8re")
    assert json_errors(content.encode("latin-1")) == ["Le fichier n'est pas encodé en UTF-8."]


def test_csv_not_utf8():
    content = (CSV_HEADER + "domaine,1,,Numératie,,,,\n").encode("latin-1")
    assert csv_errors(content) == ["Le fichier n'est pas encodé en UTF-8."]


def test_json_top_level_must_be_an_object():
    assert json_errors(b"[]") == [
        "Fichier : un objet est attendu.",
        "Le code de la certification est manquant.",
        "Le nom de la certification est manquant.",
        "Le référentiel ne contient aucun domaine.",
    ]


def test_json_domains_must_be_a_list_of_objects():
    data = minimal()
    data["domains"] = {"1": "x"}
    assert json_errors(data) == [
        "« domains » : une liste est attendue.",
        "Le référentiel ne contient aucun domaine.",
    ]
    data = minimal()
    data["domains"].append("pas un objet")
    errors = json_errors(data)
    assert errors[0] == "Domaine n° 2 : un objet est attendu."
    assert "Domaine n° 2 : le code du domaine est vide." in errors


def test_duplicate_criterion_code():
    data = minimal()
    data["domains"][0]["subdomains"].append(
        {"code": "1.2", "title": "Autre", "criteria": [{"code": "1.1.1", "title": "Doublon"}]}
    )
    assert json_errors(data) == ["Le code de critère « 1.1.1 » apparaît plusieurs fois."]


def test_duplicate_subdomain_and_domain_codes():
    data = minimal()
    data["domains"].append(copy.deepcopy(data["domains"][0]))
    errors = json_errors(data)
    assert "Le code de domaine « 1 » apparaît plusieurs fois." in errors
    assert "Le code de sous-domaine « 1.1 » apparaît plusieurs fois." in errors
    assert "Le code de critère « 1.1.1 » apparaît plusieurs fois." in errors


def test_empty_title_and_empty_code():
    data = criterion(title="   ")
    assert json_errors(data) == ["Sous-domaine 1.1, critère n° 1 : l'intitulé du critère 1.1.1 est vide."]
    data = minimal()
    data["domains"][0]["title"] = ""
    data["domains"][0]["subdomains"][0]["criteria"][1]["code"] = None
    assert json_errors(data) == [
        "Domaine n° 1 : l'intitulé du domaine 1 est vide.",
        "Sous-domaine 1.1, critère n° 2 : le code du critère est vide.",
    ]


def test_missing_certification_code_and_name():
    data = minimal()
    del data["code"]
    data["name"] = " "
    assert json_errors(data) == [
        "Le code de la certification est manquant.",
        "Le nom de la certification est manquant.",
    ]


def test_unknown_parent_in_csv():
    content = (
        CSV_HEADER
        + "domaine,1,,Dom,,,,\n"
        + "sous-domaine,1.1,1,Sous,,,,\n"
        + "critère,1.1.1,1.1,Crit,,,,\n"
        + "critère,1.1.2,9.9,Crit orphelin,,,,\n"
        + "sous-domaine,2.1,2,Sous orphelin,,,,\n"
        + "critère,2.1.1,2.1,Crit,,,,\n"
    )
    assert csv_errors(content) == [
        "Ligne 5 : le sous-domaine parent « 9.9 » du critère 1.1.2 est inconnu.",
        "Ligne 6 : le domaine parent « 2 » du sous-domaine 2.1 est inconnu.",
    ]


def test_unknown_kind_in_csv():
    content = CSV_HEADER + "domaine,1,,Dom,,,,\nsous-domaine,1.1,1,S,,,,\ncritere,1.1.1,1.1,C,,,,\n"
    assert csv_errors(content) == [
        "Ligne 4 : type « critere » inconnu (domaine, sous-domaine ou critère).",
        "Le sous-domaine 1.1 ne contient aucun critère.",
    ]


def test_subdomain_without_criteria():
    data = minimal()
    data["domains"][0]["subdomains"].append({"code": "1.2", "title": "Vide", "criteria": []})
    assert json_errors(data) == ["Le sous-domaine 1.2 ne contient aucun critère."]


def test_domain_without_subdomains_is_refused_unless_filled():
    data = minimal()
    data["domains"].append({"code": "2", "title": "Vide", "subdomains": []})
    assert json_errors(data) == ["Le domaine 2 ne contient aucun sous-domaine."]
    filled = parse_json(json.dumps(data), fill_provisional=True).spec
    assert filled.provisional is True
    assert filled.counts() == (2, 2, 3)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        pytest.param("0", "0", id="zero"),
        pytest.param(0, "0", id="json-zero"),
        pytest.param("101", "101", id="above-100"),
        pytest.param(100.01, "100.01", id="just-above-100"),
        pytest.param("abc", "abc", id="letters"),
        pytest.param("-5", "-5", id="negative"),
        pytest.param("NaN", "NaN", id="nan"),
        pytest.param("Infinity", "Infinity", id="infinity"),
        pytest.param("75 %", "75 %", id="percent-sign"),
    ],
)
def test_bad_threshold(value, shown):
    assert json_errors(with_threshold(value)) == [
        f"Domaine 1, sous-domaine n° 1 : le seuil doit être un nombre entre 0 et 100 (reçu « {shown} »)."
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        pytest.param(0, "0", id="zero"),
        pytest.param("x", "x", id="letter"),
        pytest.param(-1, "-1", id="negative"),
        pytest.param(1.5, "1.5", id="decimal"),
        pytest.param(True, "True", id="boolean"),
    ],
)
def test_bad_weight(value, shown):
    assert json_errors(criterion(weight=value)) == [
        f"Sous-domaine 1.1, critère n° 1 : les points doivent être un entier positif (reçu « {shown} »)."
    ]


def test_superscript_weight_is_refused_not_crashing():
    assert json_errors(criterion(weight="²")) == [
        "Sous-domaine 1.1, critère n° 1 : les points doivent être un entier positif (reçu « ² »)."
    ]


def test_superscript_profile_value_is_refused_not_crashing():
    data = minimal()
    data["ruleProfile"] = {"pathValidityYears": "²"}
    assert json_errors(data) == ["Profil de règles : « pathValidityYears » doit être un entier positif."]


def test_bad_mandatory_value():
    assert json_errors(criterion(mandatory="peut-être")) == [
        "Sous-domaine 1.1, critère n° 1 : « obligatoire » doit valoir oui ou non (reçu « peut-être »)."
    ]
    content = CSV_HEADER + "domaine,1,,D,,,,\nsous-domaine,1.1,1,S,,,,\ncritère,1.1.1,1.1,C,,,,2\n"
    assert csv_errors(content) == ["Ligne 4 : « obligatoire » doit valoir oui ou non (reçu « 2 »)."]


def test_declared_counts_mismatch_on_the_real_file():
    data = json.loads((DATA / "clea.json").read_text(encoding="utf-8"))
    assert parse_json(json.dumps(data)).spec.counts() == (7, 28, 106)
    data["counts"]["criteria"] = 107
    data["counts"]["subdomains"] = 27
    assert json_errors(data) == [
        "Le fichier annonce 27 sous-domaines mais en contient 28.",
        "Le fichier annonce 107 critères mais en contient 106.",
    ]


def test_declared_counts_ignore_non_integers():
    data = minimal()
    data["counts"] = {"domains": 1, "subdomains": None, "criteria": True, "status": "?"}
    assert parse_json(json.dumps(data)).declared_counts == {"domains": 1}
    data["counts"] = {"domains": 2}
    assert json_errors(data) == ["Le fichier annonce 2 domaines mais en contient 1."]


@pytest.mark.parametrize(
    ("header", "missing", "expected_header"),
    [
        pytest.param(
            "kind,code\n",
            "parent_code, title",
            "kind,code,parent_code,title,indicator,threshold_percent,weight,mandatory",
            id="comma",
        ),
        pytest.param(
            "kind;code;parent;title\n",
            "parent_code",
            "kind;code;parent_code;title;indicator;threshold_percent;weight;mandatory",
            id="semicolon",
        ),
        pytest.param(
            "",
            "kind, code, parent_code, title",
            "kind,code,parent_code,title,indicator,threshold_percent,weight,mandatory",
            id="empty-file",
        ),
    ],
)
def test_missing_csv_header_columns(header, missing, expected_header):
    assert csv_errors(header) == [
        f"Colonnes manquantes dans l'en-tête : {missing}. En-tête attendu : {expected_header}."
    ]


def test_unknown_rule_profile_key_and_bad_values():
    data = minimal()
    data["ruleProfile"] = {"overallThreshold": 75, "bonus": 1, "pathValidityYears": "cinq"}
    assert json_errors(data) == [
        "Profil de règles : « pathValidityYears » doit être un entier positif.",
        "Profil de règles : clé(s) inconnue(s) bonus, overallThreshold.",
    ]
    data["ruleProfile"] = {"overallThresholdPercent": "0"}
    assert json_errors(data) == ["Profil de règles : le seuil doit être un nombre entre 0 et 100 (reçu « 0 »)."]
    data["ruleProfile"] = [75]
    assert json_errors(data) == ["« ruleProfile » doit être un objet."]


def test_partial_rule_profile_keeps_other_defaults():
    data = minimal()
    data["ruleProfile"] = {"overallThresholdPercent": "70", "feeCertificateCents": 1000}
    document = parse_json(json.dumps(data))
    assert document.has_profile is True
    assert document.spec.profile == ProfileSpec(overall_threshold_percent=Fraction(70), fee_certificate_cents=1000)
    assert parse_json(json.dumps(minimal())).has_profile is False


def test_several_problems_are_listed_at_once():
    data = minimal()
    sub = data["domains"][0]["subdomains"][0]
    sub["thresholdPercent"] = "abc"
    sub["criteria"][0].update(weight="x", mandatory="peut-être")
    sub["criteria"][1].update(code="1.1.1", title="")
    data["domains"].append({"code": "2", "title": "Vide"})
    data["ruleProfile"] = {"nope": 1}
    data["counts"] = {"criteria": 3}
    assert json_errors(data) == [
        "Profil de règles : clé(s) inconnue(s) nope.",
        "Le code de critère « 1.1.1 » apparaît plusieurs fois.",
        "Sous-domaine 1.1, critère n° 2 : l'intitulé du critère 1.1.1 est vide.",
        "Sous-domaine 1.1, critère n° 1 : les points doivent être un entier positif (reçu « x »).",
        "Sous-domaine 1.1, critère n° 1 : « obligatoire » doit valoir oui ou non (reçu « peut-être »).",
        "Domaine 1, sous-domaine n° 1 : le seuil doit être un nombre entre 0 et 100 (reçu « abc »).",
        "Le domaine 2 ne contient aucun sous-domaine.",
        "Le fichier annonce 3 critères mais en contient 2.",
    ]


def test_error_list_is_capped():
    data = minimal()
    data["domains"][0]["subdomains"][0]["criteria"] = [
        {"code": f"1.1.{i}", "title": "", "weight": "x"} for i in range(40)
    ]
    errors = json_errors(data)
    assert len(errors) == MAX_ERRORS == 30


# ---------------------------------------------------------------------------------------------
# Shipped files
# ---------------------------------------------------------------------------------------------


def test_provisional_fill_of_clea_numerique():
    document = parse_json((DATA / "clea-numerique.json").read_bytes(), fill_provisional=True)
    spec = document.spec
    assert spec.counts() == (4, 4, 4)
    assert spec.provisional is True
    assert spec.certification_code == "CLEA_NUMERIQUE"
    assert [c.code for c in spec.criteria()] == ["1.1.1", "2.1.1", "3.1.1", "4.1.1"]
    assert spec.domains[2].subdomains[0].title == "Interagir en mode collaboratif"
    assert spec.criteria()[3].title == "Appliquer les règles et bonnes pratiques de la sécurité numérique"
    assert spec.criteria()[0].indicator == "Compétence évaluée globalement (version provisoire)."
    assert document.declared_counts == {}


def test_clea_numerique_without_fill_is_refused():
    errors = json_errors((DATA / "clea-numerique.json").read_bytes())
    assert errors == [f"Le domaine {i} ne contient aucun sous-domaine." for i in range(1, 5)]


def test_shipped_clea_file_is_not_provisional_and_keeps_its_edition_in_source():
    document = parse_json((DATA / "clea.json").read_bytes(), fill_provisional=True)
    assert document.spec.provisional is False
    assert document.spec.counts() == (7, 28, 106)
    assert document.spec.source.startswith("Current Certif'Pro référentiel")
    assert document.has_profile is False
    assert parse_json(to_json(document.spec)).spec.domains == document.spec.domains
    assert (
        parse_csv(to_csv(document.spec), certification_code="CLEA", certification_name="CléA").spec.domains
        == document.spec.domains
    )


def test_tiny_threshold_round_trips():
    data = with_threshold("0.0000000001")
    spec = parse_json(json.dumps(data)).spec
    assert spec.subdomains()[0].threshold_percent == Fraction(1, 10**10)
    assert parse_json(to_json(spec)).spec.domains == spec.domains
