"""The registry of daily tasks: each app registers its own in its ``tasks`` module.

``manage.py run_daily_tasks`` discovers the ``tasks`` module of every installed app, then enqueues the
registered tasks by rank (lowest first: expiries and tacit answers happen before the digests that
summarise them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.tasks import Task
from django.utils.module_loading import autodiscover_modules

type AnyTask = Task[Any, Any]

_registry: dict[str, tuple[int, AnyTask]] = {}


def daily[T: AnyTask](rank: int) -> Callable[[T], T]:
    """Register a django.tasks ``Task`` to be enqueued once a day, after those of a lower rank."""

    def register(task: T) -> T:
        _registry[task.name] = (rank, task)
        return task

    return register


def daily_tasks() -> list[AnyTask]:
    autodiscover_modules("tasks")
    return [task for _, task in sorted(_registry.values(), key=lambda entry: (entry[0], entry[1].name))]
