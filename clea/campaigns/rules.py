"""Rules of habilitation campaigns (docs/rules.md rules 19 and 21), as data the screens and services read."""

from __future__ import annotations

from typing import Any

# Rule 21: for CléA numérique, training organisations may be habilitated too.
TRAINING_ADMITTED = frozenset({"CLEA_NUMERIQUE"})

# Rule 19 [REPORTED, c2rp.fr 2019 CléA numérique campaign]: 300 € HT per application, 150 € HT per
# establishment habilitated. A campaign starts from these and the certifier may change them.
DEFAULT_FEES_CENTS: dict[str, tuple[int, int]] = {"CLEA_NUMERIQUE": (30_000, 15_000)}

# Documents are PDF files (what the regulation's pieces are sent as), at most this size.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


def default_fees(certification_code: str) -> tuple[int, int]:
    """(application, establishment) fees in cents for a new campaign of that certification."""
    return DEFAULT_FEES_CENTS.get(certification_code, (0, 0))


def admits_training(certification_code: str) -> bool:
    return certification_code in TRAINING_ADMITTED


def document_error(name: str, size: int, head: bytes) -> str | None:
    """A French message saying why an uploaded file is refused, or None."""
    if not name.lower().endswith(".pdf") or not head.startswith(PDF_MAGIC):
        return "Le document doit être un fichier PDF."
    if size > MAX_DOCUMENT_BYTES:
        return f"Le document dépasse {MAX_DOCUMENT_BYTES // (1024 * 1024)} Mo."
    if size == 0:
        return "Le document est vide."
    return None


def upload_error(upload: Any) -> str | None:
    """``document_error`` for an uploaded file: its name, size and first bytes (the file is rewound)."""
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    return document_error(upload.name or "", upload.size or 0, head)
