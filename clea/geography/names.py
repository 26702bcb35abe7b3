"""Commune names as people type them: no accents, no case, hyphens and apostrophes as spaces,
"st"/"ste" for "saint"/"sainte", "1er"/"15e" arrondissements. ``fold`` gives the same key for
"Saint-Étienne", "ST ETIENNE" and "st-etienne"; ``Commune.search_name`` stores it for the index.
"""

from __future__ import annotations

import re
import unicodedata

ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_separators = re.compile(r"[\s\-'’‘`´.,/()]+")
_arrondissement = re.compile(r"^(\d+)(?:er|e|eme|ème|re)?$")


def fold(text: str) -> str:
    """The search key of a commune name or of what someone typed."""
    plain = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    words = []
    for word in _separators.split(plain):
        if not word:
            continue
        number = _arrondissement.match(word)
        if number:
            words.append(str(int(number.group(1))))  # "1er", "01", "1" are the same arrondissement
        elif word not in ("arrondissement", "arr"):
            words.append(ABBREVIATIONS.get(word, word))
    return " ".join(words)
