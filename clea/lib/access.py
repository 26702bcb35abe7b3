"""The one way a request fetches a scoped object by its public id: invisible (or malformed) means 404."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404


def get_or_404[M: Model](queryset: QuerySet[M], public_id: object, message: str, *, for_update: bool = False) -> M:
    """``queryset`` is already narrowed to what the user may see; ``for_update`` locks the row (not its joins)."""
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    try:
        found = queryset.filter(public_id=public_id).first()
    except ValidationError:  # a public id that is not a UUID
        found = None
    if found is None:
        raise Http404(message)
    return found
