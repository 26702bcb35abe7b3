"""Finding an official country from a name typed by someone (migrations of free-text countries)."""

from __future__ import annotations

from collections.abc import Iterable

from clea.geography.names import fold

# Common spellings INSEE writes otherwise; codes of today's countries where INSEE keeps a historical one.
SYNONYMS = {"vietnam": "99243", "viet nam": "99243", "turquie": "99208", "cameroun": "99322", "usa": "99404"}


def codes_by_name(countries: Iterable) -> dict[str, str]:
    """fold(name) -> INSEE code, for each country's name and other names (synonyms win)."""
    found: dict[str, str] = {}
    for country in countries:
        for name in [country.name, *country.other_names.split(" | ")]:
            if name:
                found.setdefault(fold(name), country.code)
    found.update(SYNONYMS)
    return found
