"""Référentiel files (JSON and CSV) read into a ReferentielSpec and written back. Pure Python.

Both formats are first flattened into rows (kind, code, parent code, …) so that one validation
gives the same French messages whatever the format. A file with any error is refused as a whole.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from clea.lib.exports import SafeWriter, restore
from clea.referentiel.structure import (
    CriterionSpec,
    DomainSpec,
    ProfileSpec,
    ReferentielSpec,
    SubdomainSpec,
)

DOMAIN, SUBDOMAIN, CRITERION = "domaine", "sous-domaine", "critère"
CSV_COLUMNS = ["kind", "code", "parent_code", "title", "indicator", "threshold_percent", "weight", "mandatory"]
# JSON keys of the rule profile and the ProfileSpec fields they fill.
PROFILE_KEYS = {
    "overallThresholdPercent": "overall_threshold_percent",
    "maxInitialAssessmentMinutes": "max_initial_assessment_minutes",
    "maxFinalAssessmentMinutes": "max_final_assessment_minutes",
    "pathValidityYears": "path_validity_years",
    "juryMinMembersPerCollege": "jury_min_members_per_college",
    "feeInitialAssessmentCents": "fee_initial_assessment_cents",
    "feeCertificateCents": "fee_certificate_cents",
}
MAX_ERRORS = 30


class DocumentError(ValueError):
    """The file is refused; ``errors`` lists every problem found, in French."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors[:MAX_ERRORS]
        super().__init__(" ".join(self.errors))


@dataclass
class Row:
    kind: str
    code: str
    title: str
    where: str
    parent_code: str = ""
    indicator: str = ""
    threshold: str = ""
    weight: str = ""
    mandatory: str = ""


@dataclass
class ParsedDocument:
    spec: ReferentielSpec
    # A CSV file carries no rule profile: the importer then keeps the previous version's profile.
    has_profile: bool
    full_name: str = ""
    certifier_name: str = ""
    declared_counts: dict[str, int] = field(default_factory=dict)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _percent(value: str, where: str, errors: list[str]) -> Fraction:
    if value == "":
        return Fraction(75)
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        number = Decimal(-1)
    if not number.is_finite() or not 0 < number <= 100:
        errors.append(f"{where} : le seuil doit être un nombre entre 0 et 100 (reçu « {value} »).")
        return Fraction(75)
    return Fraction(number)


def _weight(value: str, where: str, errors: list[str]) -> int:
    if value == "":
        return 1
    if not re.fullmatch(r"[0-9]+", value) or int(value) < 1:
        errors.append(f"{where} : les points doivent être un entier positif (reçu « {value} »).")
        return 1
    return int(value)


def _flag(value: str, where: str, errors: list[str]) -> bool:
    lowered = value.lower()
    if lowered in ("", "0", "non", "false", "faux", "no"):
        return False
    if lowered in ("1", "oui", "true", "vrai", "yes"):
        return True
    errors.append(f"{where} : « obligatoire » doit valoir oui ou non (reçu « {value} »).")
    return False


def build_spec(
    rows: list[Row],
    *,
    certification_code: str,
    certification_name: str,
    label: str,
    profile: ProfileSpec,
    provisional: bool = False,
    source: str = "",
    declared_counts: dict[str, int] | None = None,
) -> ReferentielSpec:
    """Validate the flat rows and assemble the tree; raise DocumentError listing every problem."""
    errors: list[str] = []
    if not certification_code:
        errors.append("Le code de la certification est manquant.")
    if not certification_name:
        errors.append("Le nom de la certification est manquant.")
    seen: dict[str, set[str]] = {DOMAIN: set(), SUBDOMAIN: set(), CRITERION: set()}
    for row in rows:
        if row.kind not in seen:
            errors.append(f"{row.where} : type « {row.kind} » inconnu (domaine, sous-domaine ou critère).")
            continue
        if not row.code:
            errors.append(f"{row.where} : le code du {row.kind} est vide.")
        elif row.code in seen[row.kind]:
            errors.append(f"Le code de {row.kind} « {row.code} » apparaît plusieurs fois.")
        seen[row.kind].add(row.code)
        if not row.title:
            errors.append(f"{row.where} : l'intitulé du {row.kind} {row.code} est vide.")
    parents = {SUBDOMAIN: DOMAIN, CRITERION: SUBDOMAIN}
    for row in rows:
        parent_kind = parents.get(row.kind)
        if parent_kind and row.parent_code not in seen[parent_kind]:
            errors.append(
                f"{row.where} : le {parent_kind} parent « {row.parent_code} » du {row.kind} {row.code} est inconnu."
            )

    criteria_by_parent: dict[str, list[CriterionSpec]] = {}
    for row in rows:
        if row.kind == CRITERION:
            criteria_by_parent.setdefault(row.parent_code, []).append(
                CriterionSpec(
                    code=row.code,
                    title=row.title,
                    indicator=row.indicator,
                    weight=_weight(row.weight, row.where, errors),
                    mandatory=_flag(row.mandatory, row.where, errors),
                )
            )
    subdomains_by_parent: dict[str, list[SubdomainSpec]] = {}
    for row in rows:
        if row.kind == SUBDOMAIN:
            criteria = tuple(criteria_by_parent.get(row.code, ()))
            if not criteria:
                errors.append(f"Le sous-domaine {row.code} ne contient aucun critère.")
            subdomains_by_parent.setdefault(row.parent_code, []).append(
                SubdomainSpec(
                    code=row.code,
                    title=row.title,
                    criteria=criteria,
                    threshold_percent=_percent(row.threshold, row.where, errors),
                )
            )
    domains = []
    for row in rows:
        if row.kind == DOMAIN:
            subdomains = tuple(subdomains_by_parent.get(row.code, ()))
            if not subdomains:
                errors.append(f"Le domaine {row.code} ne contient aucun sous-domaine.")
            domains.append(DomainSpec(code=row.code, title=row.title, subdomains=subdomains))
    if not domains:
        errors.append("Le référentiel ne contient aucun domaine.")

    spec = ReferentielSpec(
        certification_code=certification_code,
        certification_name=certification_name,
        label=label or f"Référentiel {certification_name}",
        domains=tuple(domains),
        profile=profile,
        provisional=provisional,
        source=source,
    )
    actual = dict(zip(("domains", "subdomains", "criteria"), spec.counts(), strict=True))
    names = {"domains": "domaines", "subdomains": "sous-domaines", "criteria": "critères"}
    for key, expected in (declared_counts or {}).items():
        if key in actual and actual[key] != expected:
            errors.append(f"Le fichier annonce {expected} {names[key]} mais en contient {actual[key]}.")
    if errors:
        raise DocumentError(errors)
    return spec


def _profile_from_json(data: Any, errors: list[str]) -> ProfileSpec:
    if not isinstance(data, dict):
        errors.append("« ruleProfile » doit être un objet.")
        return ProfileSpec()
    values: dict[str, Any] = {}
    for key, attribute in PROFILE_KEYS.items():
        if key not in data:
            continue
        raw = _text(data[key])
        if attribute == "overall_threshold_percent":
            values[attribute] = _percent(raw, "Profil de règles", errors)
        elif re.fullmatch(r"[0-9]+", raw):
            values[attribute] = int(raw)
        else:
            errors.append(f"Profil de règles : « {key} » doit être un entier positif.")
    unknown = set(data) - set(PROFILE_KEYS)
    if unknown:
        errors.append("Profil de règles : clé(s) inconnue(s) " + ", ".join(sorted(unknown)) + ".")
    return replace(ProfileSpec(), **values)


def _list(value: Any, where: str, errors: list[str]) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        errors.append(f"{where} : une liste est attendue.")
        return []
    return value


def _object(value: Any, where: str, errors: list[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        errors.append(f"{where} : un objet est attendu.")
        return {}
    return value


def _fill_provisional(data: dict[str, Any]) -> None:
    """CléA numérique's detail is not public (docs/rules.md rule 2): each competence becomes one criterion."""
    for domain in data.get("domains") or []:
        if isinstance(domain, dict) and not domain.get("subdomains"):
            code, title = _text(domain.get("code")), _text(domain.get("title"))
            domain["subdomains"] = [
                {
                    "code": f"{code}.1",
                    "title": title,
                    "criteria": [
                        {
                            "code": f"{code}.1.1",
                            "title": title,
                            "indicator": "Compétence évaluée globalement (version provisoire).",
                        }
                    ],
                }
            ]
            data["provisional"] = True
            data["counts"] = {}


def parse_json(content: bytes | str, *, fill_provisional: bool = False) -> ParsedDocument:
    """Read a référentiel JSON file; ``fill_provisional`` completes domains that have no detail."""
    try:
        data = json.loads(content)
    except UnicodeDecodeError:
        raise DocumentError(["Le fichier n'est pas encodé en UTF-8."]) from None
    except json.JSONDecodeError as exc:
        raise DocumentError(
            [f"Le fichier n'est pas un JSON valide (ligne {exc.lineno}, colonne {exc.colno})."]
        ) from None
    errors: list[str] = []
    data = _object(data, "Fichier", errors)
    if fill_provisional:
        _fill_provisional(data)
    rows: list[Row] = []
    for d_index, domain in enumerate(_list(data.get("domains"), "« domains »", errors), 1):
        domain = _object(domain, f"Domaine n° {d_index}", errors)
        d_code = _text(domain.get("code"))
        rows.append(Row(DOMAIN, d_code, _text(domain.get("title")), f"Domaine n° {d_index}"))
        subdomains = _list(domain.get("subdomains"), f"Domaine {d_code}", errors)
        for s_index, sub in enumerate(subdomains, 1):
            where = f"Domaine {d_code}, sous-domaine n° {s_index}"
            sub = _object(sub, where, errors)
            s_code = _text(sub.get("code"))
            rows.append(
                Row(
                    SUBDOMAIN,
                    s_code,
                    _text(sub.get("title")),
                    where,
                    parent_code=d_code,
                    threshold=_text(sub.get("thresholdPercent")),
                )
            )
            for c_index, crit in enumerate(_list(sub.get("criteria"), where, errors), 1):
                where_c = f"Sous-domaine {s_code}, critère n° {c_index}"
                crit = _object(crit, where_c, errors)
                rows.append(
                    Row(
                        CRITERION,
                        _text(crit.get("code")),
                        _text(crit.get("title")),
                        where_c,
                        parent_code=s_code,
                        indicator=_text(crit.get("indicator")),
                        weight=_text(crit.get("weight")),
                        mandatory=_text(crit.get("mandatory")),
                    )
                )
    has_profile = "ruleProfile" in data
    profile = _profile_from_json(data["ruleProfile"], errors) if has_profile else ProfileSpec()
    raw_counts = data.get("counts")
    counts: dict = raw_counts if isinstance(raw_counts, dict) else {}
    declared = {k: v for k, v in counts.items() if isinstance(v, int) and not isinstance(v, bool)}
    source_parts = [_text(data.get("source"))]
    if not data.get("label"):
        # The shared files describe their edition in "version"; keep it with the source.
        source_parts.insert(0, _text(data.get("version")))
    try:
        spec = build_spec(
            rows,
            certification_code=_text(data.get("code")),
            certification_name=_text(data.get("name")),
            label=_text(data.get("label")),
            profile=profile,
            provisional=bool(data.get("provisional", False)),
            source="\n\n".join(p for p in source_parts if p),
            declared_counts=declared,
        )
    except DocumentError as exc:
        raise DocumentError(errors + exc.errors) from None
    if errors:
        raise DocumentError(errors)
    return ParsedDocument(
        spec=spec,
        has_profile=has_profile,
        full_name=_text(data.get("fullName")),
        certifier_name=_text(data.get("certifier")),
        declared_counts=declared,
    )


def parse_csv(
    content: bytes | str, *, certification_code: str, certification_name: str, label: str = ""
) -> ParsedDocument:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DocumentError(["Le fichier n'est pas encodé en UTF-8."]) from None
    content = content.lstrip("\ufeff")
    first_line = content.split("\n", 1)[0]
    # Spreadsheets in French locales write ';' between columns.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(content), delimiter=delimiter)
    missing = [c for c in ("kind", "code", "parent_code", "title") if c not in (reader.fieldnames or [])]
    if missing:
        raise DocumentError(
            [
                f"Colonnes manquantes dans l'en-tête : {', '.join(missing)}. "
                f"En-tête attendu : {delimiter.join(CSV_COLUMNS)}."
            ]
        )
    rows = []
    try:
        for line_number, record in enumerate(reader, 2):
            values = {k: restore(_text(v)) for k, v in record.items() if k is not None}
            if not any(values.values()):
                continue
            rows.append(
                Row(
                    kind=values.get("kind", "").lower(),
                    code=values.get("code", ""),
                    title=values.get("title", ""),
                    where=f"Ligne {line_number}",
                    parent_code=values.get("parent_code", ""),
                    indicator=values.get("indicator", ""),
                    threshold=values.get("threshold_percent", ""),
                    weight=values.get("weight", ""),
                    mandatory=values.get("mandatory", ""),
                )
            )
    except csv.Error as exc:
        raise DocumentError([f"Le fichier CSV est illisible : {exc}."]) from None
    spec = build_spec(
        rows,
        certification_code=certification_code,
        certification_name=certification_name,
        label=label,
        profile=ProfileSpec(),
    )
    return ParsedDocument(spec=spec, has_profile=False)


def _decimal_text(value: Fraction) -> str:
    """Plain decimal text of a threshold read from a file (finite decimals), e.g. "75" or "66.67"."""
    text = format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def to_json(spec: ReferentielSpec, *, full_name: str = "", certifier_name: str = "") -> str:
    domains, subdomains, criteria = spec.counts()
    profile = spec.profile
    data = {
        "code": spec.certification_code,
        "name": spec.certification_name,
        "fullName": full_name,
        "certifier": certifier_name,
        "label": spec.label,
        "versionNumber": spec.version_number,
        "provisional": spec.provisional,
        "source": spec.source,
        "counts": {"domains": domains, "subdomains": subdomains, "criteria": criteria},
        "ruleProfile": {
            key: (
                _decimal_text(getattr(profile, attr))
                if isinstance(getattr(profile, attr), Fraction)
                else getattr(profile, attr)
            )
            for key, attr in PROFILE_KEYS.items()
        },
        "domains": [
            {
                "code": d.code,
                "title": d.title,
                "subdomains": [
                    {
                        "code": s.code,
                        "title": s.title,
                        "thresholdPercent": _decimal_text(s.threshold_percent),
                        "criteria": [
                            {
                                "code": c.code,
                                "title": c.title,
                                "indicator": c.indicator,
                                "weight": c.weight,
                                "mandatory": c.mandatory,
                            }
                            for c in s.criteria
                        ],
                    }
                    for s in d.subdomains
                ],
            }
            for d in spec.domains
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_csv(spec: ReferentielSpec) -> str:
    out = io.StringIO()
    writer = SafeWriter(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for d in spec.domains:
        writer.writerow([DOMAIN, d.code, "", d.title, "", "", "", ""])
        for s in d.subdomains:
            writer.writerow([SUBDOMAIN, s.code, d.code, s.title, "", _decimal_text(s.threshold_percent), "", ""])
            for c in s.criteria:
                writer.writerow(
                    [CRITERION, c.code, s.code, c.title, c.indicator, "", c.weight, "oui" if c.mandatory else "non"]
                )
    return out.getvalue()
