"""Spreadsheet exports that cannot run code: every text cell a spreadsheet would read as a formula is
neutralised (OWASP "CSV injection"), in every CSV the platform writes."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Amounts written by the platform ("-12,50", "1 200,00") stay numbers.
PLAIN_NUMBER = re.compile(r"^[+-]?[\d\s\u202f.,]+(\s?€)?$")


def neutralise(value: Any) -> Any:
    # A text that already starts with the quote gets one more, so that ``restore`` gives it back whole.
    if not isinstance(value, str):
        return value
    if value[:1] == "'" or (value[:1] in FORMULA_STARTS and not PLAIN_NUMBER.match(value)):
        return "'" + value
    return value


def restore(value: str) -> str:
    """The text ``neutralise`` protected, for files the platform reads back (a référentiel's CSV)."""
    if value[:1] == "'" and neutralise(value[1:]) == value:
        return value[1:]
    return value


class SafeWriter:
    """``csv.writer`` whose rows go through ``neutralise``."""

    def __init__(self, file: Any, **options: Any) -> None:
        self._writer = csv.writer(file, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def pdf_attachment(file, filename: str):
    """A stored PDF sent as a download under the name its owner gave (never shown inline)."""
    from django.http import FileResponse

    response = FileResponse(file.open("rb"), content_type="application/pdf", as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
