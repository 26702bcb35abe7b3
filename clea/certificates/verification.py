"""What the public verification answers for a code: valid, revoked or unknown, and nothing more."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from clea.certificates import codes
from clea.certificates.masking import mask_name
from clea.certificates.models import Certificate

VALID, REVOKED, UNKNOWN = "valid", "revoked", "unknown"
LABELS = {VALID: "Certificat valide", REVOKED: "Certificat retiré", UNKNOWN: "Code inconnu"}


@dataclass(frozen=True)
class Answer:
    status: str
    certification: str | None = None
    awarded_on: datetime.date | None = None
    holder: str | None = None
    number: str | None = None

    @property
    def label(self) -> str:
        return LABELS[self.status]

    def as_json(self) -> dict:
        return {
            "status": self.status,
            "certification": self.certification,
            "awarded_on": self.awarded_on.isoformat() if self.awarded_on else None,
            "holder": self.holder,
            "number": self.number,
        }


def lookup(raw_code: str) -> Answer:
    """One query whatever the input, so a malformed, unknown or known code take the same path."""
    code = codes.normalise(raw_code)
    certificate = Certificate.objects.select_related("certification").filter(verification_code=code).first()
    if certificate is None or not codes.is_well_formed(code):
        return Answer(UNKNOWN)
    return Answer(
        REVOKED if certificate.is_revoked else VALID,
        certification=certificate.certification.full_name or certificate.certification.name,
        awarded_on=certificate.awarded_on,
        holder=mask_name(certificate.holder_first_names, certificate.holder_last_name),
        number=certificate.number,
    )
