"""The main navigation: each audience registers entries; the header's menu shows the allowed ones.

An entry is in the `main` group (the things a person does every day, first in the menu) or in
`more` (shown under a "My data" / "More" heading below them), so a phone menu stays short."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.user import Role


@dataclass(frozen=True)
class NavItem:
    href: str
    label: Any  # a lazy translated string
    roles: frozenset[Role]
    order: int = 100
    group: str = "main"


MAIN = "main"
MORE = "more"
_ITEMS: list[NavItem] = []


def register(
    href: str,
    label: Any,
    roles: set[Role] | frozenset[Role],
    order: int = 100,
    group: str = MAIN,
) -> None:
    if group not in (MAIN, MORE):
        raise ValueError(f"unknown navigation group {group!r}")
    if not any(item.href == href for item in _ITEMS):
        _ITEMS.append(
            NavItem(href=href, label=label, roles=frozenset(roles), order=order, group=group)
        )


def items_for(actor: Actor | None) -> list[NavItem]:
    if actor is None:
        return []
    roles = actor.roles()
    return sorted((i for i in _ITEMS if i.roles & roles), key=lambda i: (i.order, i.href))


@dataclass(frozen=True)
class Menu:
    main: list[NavItem]
    more: list[NavItem]
    more_label: Any


def menu_for(actor: Actor | None) -> Menu:
    """The allowed entries in the menu's two groups; a client's second group is "My data"."""
    items = items_for(actor)
    client = actor is not None and Role.client in actor.roles()
    return Menu(
        main=[i for i in items if i.group == MAIN],
        more=[i for i in items if i.group == MORE],
        more_label=lazy_gettext("My data") if client else lazy_gettext("More"),
    )


def home_for(actor: Actor | None) -> str:
    """Where a logged-in person starts: their first navigation entry, else the front page."""
    items = items_for(actor)
    return items[0].href if items else "/"
