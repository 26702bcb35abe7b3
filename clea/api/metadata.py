"""What OPTIONS answers on the API (settings' DEFAULT_METADATA_CLASS; a module of its own, as DRF's
settings import it while the views load)."""

from __future__ import annotations

from typing import Any

from rest_framework.metadata import SimpleMetadata


class ApiMetadata(SimpleMetadata):
    """The view's name and the media types it reads and writes. The fields are the schema's
    (/api/v1/schema/): DRF's default would describe them by fetching the object, outside the view's checks."""

    def determine_actions(self, request: Any, view: Any) -> dict:
        return {}
