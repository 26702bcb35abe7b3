"""The registry of daily tasks: each app registers its own in its ``tasks`` module.

``manage.py run_daily_tasks`` discovers the ``tasks`` module of every installed app, then enqueues the
registered tasks by rank (lowest first: expiries and tacit answers happen before the digests that
summarise them).
"""

from __future__ import annotations

from typing import Any

from django.utils.module_loading import autodiscover_modules

_registry: dict[str, tuple[int, Any]] = {}


def daily(rank: int):
    """Register a django.tasks ``Task`` to be enqueued once a day, after those of a lower rank."""

    def register(task: Any) -> Any:
        _registry[task.name] = (rank, task)
        return task

    return register


def daily_tasks() -> list[Any]:
    autodiscover_modules("tasks")
    return [task for _, task in sorted(_registry.values(), key=lambda entry: (entry[0], entry[1].name))]
