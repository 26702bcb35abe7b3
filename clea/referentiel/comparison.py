"""What changed between two versions of a référentiel, matched by stable codes. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass, fields
from fractions import Fraction
from typing import Any

from clea.referentiel.structure import ReferentielSpec

ADDED, REMOVED, CHANGED = "ajouté", "supprimé", "modifié"
FIELD_LABELS = {
    "title": "intitulé",
    "indicator": "indicateur",
    "weight": "points",
    "mandatory": "obligatoire",
    "threshold_percent": "seuil (%)",
    "parent": "rattachement",
    "overall_threshold_percent": "seuil global (%)",
    "max_initial_assessment_minutes": "durée max. évaluation préalable (min)",
    "max_final_assessment_minutes": "durée max. évaluation finale (min)",
    "path_validity_years": "durée du parcours (ans)",
    "jury_min_members_per_college": "quorum par collège",
    "fee_initial_assessment_cents": "redevance évaluation préalable (centimes)",
    "fee_certificate_cents": "redevance certificat (centimes)",
}


@dataclass(frozen=True)
class Change:
    level: str
    code: str
    kind: str
    field: str = ""
    before: str = ""
    after: str = ""

    @property
    def field_label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)


def _display(value: Any) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Fraction):
        return str(float(value)).removesuffix(".0")
    return str(value)


def _items(spec: ReferentielSpec) -> dict[tuple[str, str], dict[str, Any]]:
    items: dict[tuple[str, str], dict[str, Any]] = {}
    for d in spec.domains:
        items[("domaine", d.code)] = {"title": d.title}
        for s in d.subdomains:
            items[("sous-domaine", s.code)] = {
                "title": s.title,
                "threshold_percent": s.threshold_percent,
                "parent": d.code,
            }
            for c in s.criteria:
                items[("critère", c.code)] = {
                    "title": c.title,
                    "indicator": c.indicator,
                    "weight": c.weight,
                    "mandatory": c.mandatory,
                    "parent": s.code,
                }
    return items


def compare(before: ReferentielSpec, after: ReferentielSpec) -> list[Change]:
    """Changes from ``before`` to ``after``: profile first, then items in the order of the files."""
    changes = [
        Change(
            "profil",
            "",
            CHANGED,
            f.name,
            _display(getattr(before.profile, f.name)),
            _display(getattr(after.profile, f.name)),
        )
        for f in fields(before.profile)
        if getattr(before.profile, f.name) != getattr(after.profile, f.name)
    ]
    old, new = _items(before), _items(after)
    for key, values in old.items():
        if key not in new:
            changes.append(Change(key[0], key[1], REMOVED, before=values["title"]))
            continue
        for name, value in values.items():
            if new[key][name] != value:
                changes.append(Change(key[0], key[1], CHANGED, name, _display(value), _display(new[key][name])))
    changes.extend(
        Change(key[0], key[1], ADDED, after=values["title"]) for key, values in new.items() if key not in old
    )
    return changes
