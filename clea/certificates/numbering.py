"""National certificate numbers: certification, year, sequence (pure: no ORM, no clock).

``CLEA-2026-000123``: the certification code (upper case, ``_`` as ``-``), the year of the award and
a sequence per (certification, year) that the issuing service takes from a locked counter row in the
transaction that creates the certificate, so numbers are unique and have no gap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SEQUENCE_DIGITS = 6
_NUMBER = re.compile(r"^(?P<prefix>[A-Z0-9]+(?:-[A-Z0-9]+)*)-(?P<year>[0-9]{4})-(?P<sequence>[0-9]{6,})$")


@dataclass(frozen=True)
class CertificateNumber:
    prefix: str
    year: int
    sequence: int

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year:04d}-{self.sequence:0{SEQUENCE_DIGITS}d}"


def prefix_for(certification_code: str) -> str:
    """``CLEA`` → ``CLEA``; ``CLEA_NUMERIQUE`` → ``CLEA-NUMERIQUE``."""
    words = re.split(r"[^A-Z0-9]+", certification_code.upper())
    prefix = "-".join(w for w in words if w)
    if not prefix:
        raise ValueError(f"Code de certification inutilisable pour un numéro : {certification_code!r}")
    return prefix


def format_number(certification_code: str, year: int, sequence: int) -> str:
    if not 1000 <= year <= 9999:
        raise ValueError(f"Année invalide : {year}")
    if sequence < 1:
        raise ValueError(f"Le numéro d'ordre commence à 1 (reçu {sequence}).")
    return str(CertificateNumber(prefix_for(certification_code), year, sequence))


def parse_number(text: str) -> CertificateNumber:
    """The parts of a number; ``ValueError`` with a French message when it is not one."""
    match = _NUMBER.match(text.strip().upper())
    if match is None:
        raise ValueError(f"« {text} » n'est pas un numéro de certificat (forme attendue : CLEA-2026-000123).")
    return CertificateNumber(match["prefix"], int(match["year"]), int(match["sequence"]))
