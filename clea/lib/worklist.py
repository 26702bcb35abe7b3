"""The home page's work queues: each app registers its own in its ``worklist`` module.

A queue provider is asked with the user, the organisation they act for (``CurrentOrganisation``) and
today's date, and answers ``None`` when the role has nothing to do with it. Providers run a constant
number of queries, scoped by the current organisation's indexes, so the home page costs the same for
the smallest organisation and the largest one.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Item:
    """One line of a queue: how many things wait, where to act on them; ``urgent`` comes first."""

    label: str
    count: int
    url: str
    urgent: bool = False
    detail: str = ""


@dataclass(frozen=True)
class Queue:
    title: str
    items: list[Item] = field(default_factory=list)
    empty: str = "Rien en attente."
    action: tuple[str, str] | None = None  # (label, url) of the queue's main page

    @property
    def waiting(self) -> int:
        return sum(item.count for item in self.items)

    def sorted_items(self) -> list[Item]:
        """Urgent lines first, then the order the provider gave; empty lines last."""
        ranked = sorted(enumerate(self.items), key=lambda p: (not p[1].urgent, p[1].count == 0, p[0]))
        return [item for _, item in ranked]


Provider = Callable[[Any, Any, datetime.date], Queue | None]
_providers: dict[str, tuple[int, Provider]] = {}


def queue(rank: int) -> Callable[[Provider], Provider]:
    """Register the decorated ``(user, current, today) -> Queue | None`` provider at ``rank``."""

    def register(provider: Provider) -> Provider:
        _providers[f"{provider.__module__}.{provider.__qualname__}"] = (rank, provider)
        return provider

    return register


def queues(user: Any, current: Any, today: datetime.date) -> list[Queue]:
    autodiscover_modules("worklist")
    ranked = sorted(_providers.items(), key=lambda p: (p[1][0], p[0]))
    answers = (provider(user, current, today) for _, (_, provider) in ranked)
    return [answer for answer in answers if answer is not None]
