"""The main menu's registry: each app registers its sections in its ``navigation`` module.

A section is shown when its predicate, asked with the user and the organisation they act for (``None``
when logged out), says yes. Apps pass the same ``can_*`` predicate their views check, so the menu never
offers a page that answers 403, and never hides one that a role may use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.module_loading import autodiscover_modules

Predicate = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class Section:
    rank: int
    label: str
    url_name: str
    shown: Predicate


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


_sections: dict[tuple[str, str], Section] = {}


def section(rank: int, label: str, url_name: str) -> Callable[[Predicate], Predicate]:
    """Register the decorated ``(user, current) -> bool`` predicate as the condition of a menu section."""

    def register(predicate: Predicate) -> Predicate:
        _sections[(url_name, label)] = Section(rank, label, url_name, predicate)
        return predicate

    return register


def sections() -> list[Section]:
    autodiscover_modules("navigation")
    return sorted(_sections.values(), key=lambda s: (s.rank, s.label))


def menu(request: HttpRequest) -> list[NavItem]:
    user, path = request.user, request.path
    current = getattr(request, "current", None) if user.is_authenticated else None
    items: list[NavItem] = []
    for entry in sections():
        if entry.shown(user, current):
            url = reverse(entry.url_name)
            items.append(NavItem(entry.label, url, path == url or (url != "/" and path.startswith(url))))
    return items
