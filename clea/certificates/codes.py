"""Verification codes printed on certificates: random, unguessable, easy to read and type.

20 characters from an alphabet without look-alikes (no O, 0, I, L, 1, U): 30^20 ≈ 2^98
possibilities, drawn with ``secrets``. Shown in groups of four; any case, spaces and dashes accepted.
"""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
LENGTH = 20
GROUP = 4
# Longer input is cut before it reaches the database (the answer is "unknown" either way).
MAX_INPUT = 64


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str:
    """Upper case, separators removed; no other guessing (an unknown code stays unknown)."""
    return "".join(c for c in text[:MAX_INPUT].upper() if c not in " -_.\t")


def is_well_formed(code: str) -> bool:
    return len(code) == LENGTH and all(c in ALPHABET for c in code)


def display(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
