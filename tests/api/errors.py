"""The API's validation error body, written out for the tests' expectations."""

from __future__ import annotations


def invalid(errors: dict, *, field: str | None = None, detail: str | None = None) -> dict:
    """``{"detail", "field", "errors"}``: by default the first key of a flat ``errors`` and its message."""
    if field is None:
        field = next(iter(errors))
    if detail is None:
        detail = errors[field][0]
    return {"detail": detail, "field": field, "errors": errors}
