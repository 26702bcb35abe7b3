"""Plural forms in French: 0 and 1 take the singular ("0 rejeté", "1 certificat", "2 certificats").

Django's ``ngettext`` applies a catalog's plural rule, and without one (our messages are written in
French, no catalog translates them) the English rule, which makes 0 plural; the count is mapped first.
"""

from __future__ import annotations

from django.utils.translation import ngettext as django_ngettext


def ngettext(singular: str, plural: str, number: int) -> str:
    return django_ngettext(singular, plural, 1 if abs(number) < 2 else number)
