"""What the apps above dossiers contribute to dossier screens, registered at start-up.

The dossier page shows the engine's assessment, which the evaluations app computes; evaluations sits
above dossiers, so it registers its function here in ``AppConfig.ready`` instead of dossiers importing it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_assessment: Callable[[Any], Any] | None = None


def provide_assessment(compute: Callable[[Any], Any]) -> None:
    global _assessment  # noqa: PLW0603 - one registration per process, at start-up
    _assessment = compute


def assessment_of(dossier: Any) -> Any:
    """The merged assessment of the dossier's closed evaluations, or None before the first préalable."""
    if _assessment is None or not dossier.initial_assessment_date:
        return None
    return _assessment(dossier)
