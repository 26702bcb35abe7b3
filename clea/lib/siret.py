"""SIRET check (14 digits, Luhn key), pure and without Django."""

import re

# La Poste's establishments share SIREN 356000000 and use another key: digit sum divisible by 5.
LA_POSTE_SIREN = "356000000"


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_siret(raw: str) -> str:
    """Drop the spaces people type ("123 456 789 00012")."""
    return "".join(raw.split())


def siret_error(raw: str) -> str | None:
    """Return a French message saying what is wrong with a SIRET, or None when it is valid."""
    siret = normalise_siret(raw)
    # Only ASCII digits: str.isdigit() also accepts "²" or full-width digits.
    if not re.fullmatch(r"[0-9]{14}", siret):
        return "Le SIRET doit comporter exactement 14 chiffres."
    if siret.startswith(LA_POSTE_SIREN):
        if sum(int(c) for c in siret) % 5 == 0:
            return None
        return "Ce SIRET n'est pas valide (clé de contrôle incorrecte)."
    if not luhn_valid(siret):
        return "Ce SIRET n'est pas valide (clé de contrôle incorrecte)."
    return None


def with_check_digit(first_13_digits: str) -> str:
    """Complete 13 digits into a valid SIRET (for demo data and tests)."""
    for last in "0123456789":
        candidate = first_13_digits + last
        if siret_error(candidate) is None:
            return candidate
    raise AssertionError("unreachable: one of ten digits always completes a Luhn number")
