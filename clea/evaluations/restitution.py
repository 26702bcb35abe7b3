"""Results explained to the candidate in plain French (page and PDF)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.template.loader import render_to_string

from clea.dossiers.models import Dossier
from clea.dossiers.workflow import State
from clea.evaluations.plain import FINAL_AHEAD, step_text
from clea.evaluations.services import dossier_assessment
from clea.referentiel.scoring import Assessment, format_percent


@dataclass(frozen=True)
class Restitution:
    dossier: Dossier
    assessment: Assessment | None
    today: datetime.date

    @property
    def acquired_domains(self):
        return [d for d in self.assessment.domains if d.acquired] if self.assessment else []

    @property
    def missing_domains(self):
        return [d for d in self.assessment.domains if not d.acquired] if self.assessment else []

    @property
    def percent(self) -> str:
        return format_percent(self.assessment.ratio * 100) if self.assessment else ""

    @property
    def next_step(self) -> str:
        """Where the person is and what comes next, for every state (clea.evaluations.plain)."""
        return step_text(self.dossier.state)

    @property
    def final_ahead(self) -> bool:
        return State(self.dossier.state) in FINAL_AHEAD


def restitution_for(dossier: Dossier, today: datetime.date) -> Restitution:
    has_results = dossier.evaluations.filter(closed_at__isnull=False).exists()
    return Restitution(dossier, dossier_assessment(dossier) if has_results else None, today)


def restitution_pdf(dossier: Dossier, today: datetime.date, *, base_url: str) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is only needed for PDFs

    html = render_to_string(
        "evaluations/results_pdf.html", {"restitution": restitution_for(dossier, today), "dossier": dossier}
    )
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")
