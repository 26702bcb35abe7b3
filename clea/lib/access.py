"""The one way a request fetches a scoped object by its public id: invisible (or malformed) means 404."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404


def get_or_404[M: Model](queryset: QuerySet[M], public_id: object, message: str, *, for_update: bool = False) -> M:
    """``queryset`` is already narrowed to what the user may see; ``for_update`` then locks the row alone.

    Visibility querysets may be DISTINCT (several paths to one row), which PostgreSQL cannot lock: the row
    is found through them, then locked and read again by primary key (its joins load on demand)."""
    try:
        found = queryset.filter(public_id=public_id).first()
    except ValidationError:  # a public id that is not a UUID
        found = None
    if found is None:
        raise Http404(message)
    if for_update:
        found = queryset.model._default_manager.select_for_update().get(pk=found.pk)
    return found


def valid_uuids(values: Iterable[str]) -> list[uuid.UUID]:
    """The well-formed public ids among posted values (the others match nothing anyway)."""
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return found
