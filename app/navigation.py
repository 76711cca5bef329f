"""The main navigation: each audience registers entries; the header shows the allowed ones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.models.actor import Actor
from app.models.user import Role


@dataclass(frozen=True)
class NavItem:
    href: str
    label: Any  # a lazy translated string
    roles: frozenset[Role]
    order: int = 100


_ITEMS: list[NavItem] = []


def register(href: str, label: Any, roles: set[Role] | frozenset[Role], order: int = 100) -> None:
    if not any(item.href == href for item in _ITEMS):
        _ITEMS.append(NavItem(href=href, label=label, roles=frozenset(roles), order=order))


def items_for(actor: Actor | None) -> list[NavItem]:
    if actor is None:
        return []
    roles = actor.roles()
    return sorted((i for i in _ITEMS if i.roles & roles), key=lambda i: (i.order, i.href))


def home_for(actor: Actor | None) -> str:
    """Where a logged-in person starts: their first navigation entry, else the front page."""
    items = items_for(actor)
    return items[0].href if items else "/"
