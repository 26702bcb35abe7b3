"""API pages that cost the same at a million rows: one row more than the page tells if there is a next one.

``count`` is exact up to ``COUNT_CAP`` rows (``count_exact`` true) and is the cap beyond (false): counting
a national table exactly on every page would read every row. Every page stays reachable through ``next``,
so a client that synchronises an organisation's dossiers still walks them all.
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from clea.lib.pagination import COUNT_CAP, capped_count

MAX_PAGE = 1_000_000


class CappedPageNumberPagination(PageNumberPagination):
    def paginate_queryset(self, queryset, request, view=None) -> list[Any] | None:
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        self.request = request
        raw = request.query_params.get(self.page_query_param, "1")
        if not raw.isdigit() or int(raw) < 1:
            raise NotFound("Page invalide : indiquez un nombre entier à partir de 1.")
        self.number = int(raw)
        if self.number > MAX_PAGE:  # an OFFSET the database cannot even represent: no such page
            raise NotFound("Cette page n'existe pas : la liste est plus courte.")
        offset = (self.number - 1) * page_size
        rows = list(queryset[offset : offset + page_size + 1])
        if not rows and self.number > 1:
            raise NotFound("Cette page n'existe pas : la liste est plus courte.")
        self.has_next = len(rows) > page_size
        rows = rows[:page_size]
        if not self.has_next:  # the last page: the total is known without counting
            self.count, self.count_exact = offset + len(rows), True
        else:
            self.count, self.count_exact = capped_count(queryset, max(COUNT_CAP, offset + page_size))
        return rows

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, self.number + 1)

    def get_previous_link(self) -> str | None:
        if self.number <= 1:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)

    def get_paginated_response(self, data) -> Response:
        return Response(
            {
                "count": self.count,
                "count_exact": self.count_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["count"]["description"] = (
            f"Nombre de résultats, exact jusqu'à {COUNT_CAP} ; au-delà, le plafond (voir count_exact)."
        )
        paginated["properties"]["count_exact"] = {
            "type": "boolean",
            "description": "Faux quand la liste dépasse le plafond de comptage : suivre next jusqu'au bout.",
        }
        paginated["required"] = [*paginated.get("required", []), "count_exact"]
        return paginated
