"""The holder's name as the public verification shows it: first given name and an initial (pure)."""

from __future__ import annotations


def mask_name(first_names: str, last_name: str) -> str:
    """``("Léa Marie", "Durand")`` → ``"Léa D."``: enough to match a person in front of you, not to find one."""
    given = first_names.split()
    first = given[0] if given else ""
    initial = next((c.upper() for c in last_name if c.isalpha()), "")
    if not first:
        return f"{initial}." if initial else ""
    return f"{first} {initial}." if initial else first
