"""Pages whose cost does not grow with the country: counts stop at a cap.

An organisation's list at a million dossiers must cost what it costs at ten thousand. Fetching a page
is an index range whatever the size; an exact ``COUNT(*)`` is not (it reads every matching row). So a
screen counts at most ``COUNT_CAP`` rows and says "plus de 1 000" beyond; the API tells the same with
``count_exact`` and keeps every page reachable (its next link comes from the page itself, not the count).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 1000


def capped_count(rows: QuerySet | Sequence[Any], cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(count, exact): the number of rows up to ``cap``; beyond, ``(cap, False)``."""
    # COUNT(*) over a LIMIT subquery; ordering dropped so the planner may use any index.
    found = rows.order_by()[: cap + 1].count() if isinstance(rows, QuerySet) else len(rows)
    return (cap, False) if found > cap else (found, True)


class CappedPaginator(Paginator):
    """A Django paginator that counts at most ``cap`` rows: pages stop there (filters narrow the list)."""

    def __init__(self, object_list, per_page, *args, cap: int = COUNT_CAP, **kwargs) -> None:
        super().__init__(object_list, per_page, *args, **kwargs)
        self.cap = cap
        self.truncated = False

    @cached_property
    def count(self) -> int:
        count, exact = capped_count(cast(Any, self.object_list), self.cap)
        self.truncated = not exact
        return count
