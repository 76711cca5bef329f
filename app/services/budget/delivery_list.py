"""The provider's delivery history: client, service, date, units, amount and status of every
delivery its providers reported, sorted by a named key and paged.

Columns only, two statements a page (the count and the page), through
`readable_delivery_columns` (the actor's providers only; each client shown is a logged read).
Sort keys are a fixed list: anything else falls back to the newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from math import ceil
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col

from app.models.actor import Actor
from app.models.budget import Budget, PlanLine
from app.models.ledger import Delivery, DeliveryStatus
from app.models.user import User
from app.repositories.budget import readable_delivery_columns

PAGE_SIZE = 25
DEFAULT_SORT = "-date"
SORT_KEYS = ("date", "client", "service", "units", "status")


@dataclass(frozen=True)
class DeliveryRow:
    delivery_id: int
    line_id: int
    delivered_on: date
    client_name: str
    title: dict[str, str]
    unit: str
    units: int
    amount_cents: int
    status: DeliveryStatus


@dataclass(frozen=True)
class DeliveryPage:
    rows: list[DeliveryRow]
    sort: str
    total: int
    page: int
    pages: int


def valid_sort(sort: str | None) -> str:
    """The sort asked for if it is one of ours ("date", "-date", …), else the default."""
    key = (sort or "").removeprefix("-")
    return sort if sort and key in SORT_KEYS else DEFAULT_SORT


def _order(sort: str, locale: str) -> list[Any]:
    columns: dict[str, Any] = {
        "date": col(Delivery.delivered_on),
        "client": col(User.display_name),
        "service": col(PlanLine.title)[_language(locale)].as_string(),
        "units": col(Delivery.units),
        "status": col(Delivery.status),
    }
    column = columns[sort.removeprefix("-")]
    tie = col(Delivery.id)
    if sort.startswith("-"):
        return [column.desc(), tie.desc()]
    return [column.asc(), tie.asc()]


def delivery_page(
    session: Session, actor: Actor, sort: str | None, page: int, locale: str
) -> DeliveryPage:
    """One page of the history in the order `sort` names (validated)."""
    sort = valid_sort(sort)
    count = readable_delivery_columns(actor, func.count(col(Delivery.id)).label("n"))
    total = int(session.execute(count).scalar_one())
    pages = max(1, ceil(total / PAGE_SIZE))
    page = min(max(1, page), pages)
    stmt = _select(actor).order_by(*_order(sort, locale)).limit(PAGE_SIZE)
    rows = _rows(session, stmt.offset((page - 1) * PAGE_SIZE))
    return DeliveryPage(rows, sort, total, page, pages)


def delivery_row(session: Session, actor: Actor, delivery_id: int) -> DeliveryRow | None:
    """One delivery of the actor's providers, or None."""
    found = _rows(session, _select(actor).where(col(Delivery.id) == delivery_id))
    return found[0] if found else None


def _select(actor: Actor) -> Any:
    return readable_delivery_columns(
        actor,
        col(Delivery.id).label("delivery_id"),
        col(Delivery.plan_line_id),
        col(Delivery.delivered_on),
        col(Budget.client_id).label("client_id"),
        col(User.display_name),
        col(PlanLine.title),
        col(PlanLine.unit),
        col(Delivery.units),
        col(Delivery.amount_cents),
        col(Delivery.status),
    )


def _rows(session: Session, stmt: Any) -> list[DeliveryRow]:
    return [
        DeliveryRow(
            delivery_id=r.delivery_id,
            line_id=r.plan_line_id,
            delivered_on=r.delivered_on,
            client_name=r.display_name,
            title=r.title or {},
            unit=r.unit,
            units=r.units,
            amount_cents=r.amount_cents,
            status=DeliveryStatus(r.status),
        )
        for r in session.execute(stmt).all()
    ]


def _language(locale: str) -> str:
    """The stored-text language of a locale ("fi@selko" -> "fi", "sv_FI" -> "sv")."""
    lang = locale.split("@")[0].split("_")[0]
    return lang if lang in ("fi", "sv", "en") else "fi"
