"""French postal address block (NF Z10-011 style), for the window of an envelope (pure).

At most 6 lines of at most 38 characters, from the most particular to the most general:
1 recipient; 2–3 what is inside or outside the building (flat, staircase, residence); 4 number and
street; 5 locality or BP; 6 postcode and town. Lines 2 to 6 are upper case without commas or full
stops; the last one has no accent and no punctuation at all (``35400 SAINT MALO``, ``75015 PARIS``). A line that is
too long is first shortened with La Poste's usual abbreviations, then wrapped when a line is free;
an address that still does not fit is refused with a French message, never silently cut.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from clea.lib.errors import RuleViolation

MAX_LINES = 6
MAX_CHARS = 38
TOWN_LABEL_CHARS = 32

# Applied word by word, only to a line that is too long.
STREET_ABBREVIATIONS = {
    "APPARTEMENT": "APP",
    "AVENUE": "AV",
    "BATIMENT": "BAT",
    "BÂTIMENT": "BAT",
    "BOULEVARD": "BD",
    "CHEMIN": "CHE",
    "ESCALIER": "ESC",
    "IMPASSE": "IMP",
    "IMMEUBLE": "IMM",
    "LOTISSEMENT": "LOT",
    "QUARTIER": "QUA",
    "RESIDENCE": "RES",
    "RÉSIDENCE": "RES",
    "ROUTE": "RTE",
    "FAUBOURG": "FG",
    "PLACE": "PL",
    "ALLEE": "ALL",
    "ALLÉE": "ALL",
    "SQUARE": "SQ",
    "DOCTEUR": "DR",
    "GENERAL": "GAL",
    "GÉNÉRAL": "GAL",
    "PRESIDENT": "PDT",
    "PRÉSIDENT": "PDT",
    "MARECHAL": "MAL",
    "MARÉCHAL": "MAL",
    "COMMANDANT": "CDT",
    "CAPITAINE": "CNE",
    "LIEUTENANT": "LT",
    "COLONEL": "COL",
    "PROFESSEUR": "PR",
    "SAINT": "ST",
    "SAINTE": "STE",
}
TOWN_ABBREVIATIONS = {"SAINT": "ST", "SAINTE": "STE", "SAINTS": "STS", "SAINTES": "STES"}


@dataclass(frozen=True)
class PostalAddress:
    recipient: str
    street: str
    postcode: str
    town: str
    complement: str = ""
    locality: str = ""
    cedex: str = ""


def _collapse(text: str) -> str:
    return " ".join((text or "").split())


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _address_line(text: str) -> str:
    """Lines 2 to 5: upper case, no comma or full stop."""
    return _collapse(re.sub(r"[,.;]", " ", text).upper())


def _abbreviate(line: str, table: dict[str, str]) -> str:
    if len(line) <= MAX_CHARS:
        return line
    # Spaces, hyphens and apostrophes separate words; shorten from the end until the line fits.
    parts = re.split(r"([ \-'])", line)
    for index in range(len(parts) - 1, -1, -1):
        replacement = table.get(parts[index])
        if replacement:
            parts[index] = replacement
            if len("".join(parts)) <= MAX_CHARS:
                break
    return "".join(parts)


def _wrap(line: str) -> list[str]:
    words, lines, current = line.split(" "), [], ""
    for word in words:
        if len(word) > MAX_CHARS:
            return [line]  # cannot be wrapped: reported as too long below
        candidate = f"{current} {word}".strip()
        if len(candidate) <= MAX_CHARS:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    return lines


def last_line(postcode: str, town: str, cedex: str = "") -> str:
    """``35000 RENNES``: upper case, no accent, no punctuation. A long town name is abbreviated
    (SAINT → ST…), then cut to 32 characters as La Poste's own routing labels are."""
    code = _collapse(postcode).replace(" ", "")
    if not re.fullmatch(r"[0-9]{5}", code):
        raise RuleViolation(f"Code postal invalide : « {postcode} » (5 chiffres).")
    name = _collapse(re.sub(r"[^A-Z0-9 ]", " ", _strip_accents(town).upper()))
    if not name:
        raise RuleViolation("Indiquez la commune de l'adresse.")
    suffix = _collapse(re.sub(r"[^A-Z0-9 ]", " ", _strip_accents(cedex).upper()))
    room = min(TOWN_LABEL_CHARS, MAX_CHARS - len(code) - 1 - (len(suffix) + 1 if suffix else 0))
    if len(name) > room:
        name = " ".join(TOWN_ABBREVIATIONS.get(word, word) for word in name.split(" "))
    if len(name) > room:
        cut = name[: room + 1].rsplit(" ", 1)[0] if " " in name[: room + 1] else name[:room]
        name = cut[:room].rstrip()
    return " ".join(p for p in (code, name, suffix) if p)


def recipient_line(civility: str, first_names: str, last_name: str) -> str:
    """``Madame Léa DURAND``; shortened when longer than a line: without civility, then with the
    first name's initial, then the name alone."""
    first = (first_names.split() or [""])[0]
    name = _collapse(last_name).upper()
    for candidate in (
        f"{civility} {first} {name}",
        f"{first} {name}",
        f"{first[:1]} {name}",
        name,
    ):
        candidate = _collapse(candidate)
        if len(candidate) <= MAX_CHARS:
            return candidate
    return name


def address_lines(address: PostalAddress) -> list[str]:
    """The block as printed, or ``RuleViolation`` saying what to shorten."""
    recipient = _collapse(address.recipient)
    if not recipient:
        raise RuleViolation("Indiquez le destinataire du courrier.")
    street = _address_line(address.street)
    if not street and not address.locality.strip():
        raise RuleViolation("Indiquez le numéro et la voie (ou le lieu-dit) de l'adresse.")
    blocks = [
        _wrap(recipient) if len(recipient) > MAX_CHARS else [recipient],
        _wrap(_abbreviate(_address_line(address.complement), STREET_ABBREVIATIONS)) if address.complement else [],
        _wrap(_abbreviate(street, STREET_ABBREVIATIONS)) if street else [],
        _wrap(_abbreviate(_address_line(address.locality), STREET_ABBREVIATIONS)) if address.locality else [],
        [last_line(address.postcode, address.town, address.cedex)],
    ]
    lines = [line for block in blocks for line in block if line]
    too_long = [line for line in lines if len(line) > MAX_CHARS]
    if too_long:
        raise RuleViolation(
            f"Ligne d'adresse trop longue ({len(too_long[0])} caractères, {MAX_CHARS} au plus) : « {too_long[0]} »."
        )
    if len(lines) > MAX_LINES:
        raise RuleViolation(
            f"L'adresse compte {len(lines)} lignes une fois mise en forme ({MAX_LINES} au plus) : raccourcissez "
            "le complément d'adresse."
        )
    return lines
