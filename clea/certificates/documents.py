"""PDFs: the certificate, the cover letter for a window envelope, print runs, the record of acquired skills.

HTML templates rendered by WeasyPrint (tagged PDF/UA); QR codes are inline SVG drawn by ``segno``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from clea.certificates.models import Certificate, Mailing
from clea.dossiers.deadlines import is_past

# Where the recipient's address is printed (mm from the page's top-left corner): the usual window of
# French DL/C5 envelopes. The block must stay inside this box whatever the letter folds.
WINDOW = {"left": 110, "top": 45, "width": 90, "height": 45}
DEFAULT_SENDER = ("Certif'Pro", "Service des certificats")


def sender_lines() -> tuple[str, ...]:
    """The certifier's return address on letters; ``CERTIFICATE_SENDER`` in the settings."""
    return tuple(getattr(settings, "CERTIFICATE_SENDER", DEFAULT_SENDER))


def qr_svg(url: str) -> str:
    import segno

    qr = segno.make(url, error="m")
    return mark_safe(qr.svg_inline(scale=3, dark="#000000", omitsize=True, svgclass="qr"))  # noqa: S308 (our own SVG)


def write_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is only needed for PDFs

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")


@dataclass(frozen=True)
class Item:
    """One certificate to print, with or without its cover letter."""

    certificate: Certificate
    duplicate: bool
    qr: str
    address_lines: tuple[str, ...] = ()


def _item(certificate: Certificate, *, duplicate: bool, address_lines=()) -> Item:
    return Item(certificate, duplicate, qr_svg(certificate.verification_url), tuple(address_lines))


def _common(today: datetime.date | None) -> dict:
    from django.urls import reverse

    return {
        "sender": sender_lines(),
        "window": WINDOW,
        "today": today or timezone.localdate(),
        "verify_home": settings.SITE_URL.rstrip("/") + reverse("verification:form"),
    }


def render_certificate(certificate: Certificate, *, duplicate: bool = False, today: datetime.date | None = None) -> str:
    return render_to_string(
        "certificates/pdf/certificate.html",
        {
            **_common(today),
            "item": _item(certificate, duplicate=duplicate),
            "title": f"Certificat {certificate.number}",
        },
    )


def certificate_pdf(certificate: Certificate, *, duplicate: bool = False, today: datetime.date | None = None) -> bytes:
    return write_pdf(render_certificate(certificate, duplicate=duplicate, today=today))


def render_mailings(mailings: list[Mailing], *, today: datetime.date | None = None) -> str:
    items = [
        _item(m.certificate, duplicate=m.is_duplicate, address_lines=m.address_lines)
        for m in sorted(mailings, key=lambda m: m.position)
    ]
    return render_to_string(
        "certificates/pdf/mailing.html",
        {**_common(today), "items": items, "title": "Courriers de certificats"},
    )


def mailings_pdf(mailings: list[Mailing], *, today: datetime.date | None = None) -> bytes:
    """One print-ready file: per holder, the cover letter then the certificate, in the given order."""
    return write_pdf(render_mailings(mailings, today=today))


def render_skills_record(dossier, assessment, *, today: datetime.date) -> str:
    domains = []
    for domain in assessment.domains:
        subdomains = []
        for sub in domain.subdomains:
            missing = {c.code for c in sub.missing_criteria}
            acquired = [c for c in sub.spec.criteria if c.code not in missing]
            if acquired:
                subdomains.append({"spec": sub.spec, "acquired": sub.acquired, "criteria": acquired})
        if subdomains:
            domains.append({"spec": domain.spec, "acquired": domain.acquired, "subdomains": subdomains})
    deadline = dossier.deadline or dossier.compute_deadline()
    return render_to_string(
        "certificates/pdf/skills_record.html",
        {
            "dossier": dossier,
            "candidate": dossier.candidate,
            "domains": domains,
            "mastered": [d for d in assessment.domains if d.acquired],
            "assessment": assessment,
            "deadline": deadline,
            "expired": is_past(deadline, today),
            "today": today,
            "title": f"Attestation de compétences acquises {dossier.certification.name}",
        },
    )
