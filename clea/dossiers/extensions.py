"""What the apps above dossiers contribute to dossier screens, registered at start-up.

Dossier screens show the engine's assessment (computed by the evaluations app) and may open a dossier
from a referral (the referrals app). Both apps sit above dossiers, so they register their functions
here in ``AppConfig.ready`` instead of dossiers importing them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class OpeningSource:
    """Where a dossier being opened comes from: initial form values, context, and how to open it."""

    initial: dict[str, Any]
    context: dict[str, Any]
    open: Callable[..., Any]
    fixed_fields: tuple[str, ...] = field(default=())
    chooses_certification: bool = False  # the form's certification is passed to ``open`` (a referral fixes it)


@dataclass
class _Registry:
    assessment: Callable[[Any], Any] | None = None
    opening_sources: list[Callable[[Any, Any], OpeningSource | None]] = field(default_factory=list)


_registry = _Registry()


def provide_assessment(compute: Callable[[Any], Any]) -> None:
    _registry.assessment = compute


def provide_opening_source(find: Callable[[Any, Any], OpeningSource | None]) -> None:
    """``find(request, organisation)`` returns a source when the request names one (404 when it is wrong)."""
    if find not in _registry.opening_sources:
        _registry.opening_sources.append(find)


def assessment_of(dossier: Any) -> Any:
    """The merged assessment of the dossier's closed evaluations, or None before the first préalable."""
    if _registry.assessment is None or not dossier.initial_assessment_date:
        return None
    return _registry.assessment(dossier)


def opening_source(request: Any, organisation: Any) -> OpeningSource | None:
    for find in _registry.opening_sources:
        source = find(request, organisation)
        if source is not None:
            return source
    return None
