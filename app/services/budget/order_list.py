"""The provider's orders as a list: the new ones (waiting for an answer) first, then the
rest, searched by client or service, filtered by status and client, newest first, a page at
a time; and one order with its deliveries.

Rows are columns, not ORM objects, and a page costs a fixed number of statements however
many orders the provider has (the queue, its count, the page, its count, the clients).
Every statement starts from `readable_order_columns` (the actor's providers only; the read
of each client shown is logged)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from math import ceil
from typing import Any

from sqlalchemy import ColumnElement, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.models.actor import Actor
from app.models.budget import Budget, OrderStatus, PlanLine, PlanStatus, PlanVersion
from app.models.ledger import Delivery, DeliveryStatus
from app.models.user import User
from app.repositories.budget import readable_order_columns, readable_provider_deliveries
from app.services.budget import limits

PAGE_SIZE = 20
NEW_LIMIT = 10  # the queue shows this many; the rest are one filter away
LANGUAGES = ("fi", "sv", "en")


@dataclass(frozen=True)
class OrderRow:
    line_id: int
    title: dict[str, str]
    client_id: int
    client_name: str
    quantity: int
    repeats: int
    unit: str
    unit_price_cents: int
    status: OrderStatus
    delivered_units: int
    ordered_at: datetime | None

    @property
    def total_units(self) -> int:
        return self.quantity * self.repeats

    @property
    def is_new(self) -> bool:
        return self.status == OrderStatus.pending


@dataclass(frozen=True)
class OrderQuery:
    """What the provider asked for: words, a status ("" for any), a client, a page."""

    q: str = ""
    status: OrderStatus | None = None
    client_id: int | None = None
    page: int = 1

    @property
    def filtered(self) -> bool:
        return bool(self.q or self.status or self.client_id)


@dataclass(frozen=True)
class OrderPage:
    new: list[OrderRow]
    new_count: int
    rows: list[OrderRow]
    total: int
    page: int
    pages: int
    clients: list[tuple[int, str]] = field(default_factory=list)


def _used_units() -> Any:
    """Units used per line key (every version of a line): reported and paid deliveries."""
    other = aliased(PlanLine)
    return (
        select(
            col(other.line_key).label("line_key"),
            func.sum(col(Delivery.units)).label("units"),
        )
        .join(other, col(other.id) == col(Delivery.plan_line_id))
        .where(or_(col(Delivery.status) == DeliveryStatus.reported, limits.paid_now()))
        .group_by(col(other.line_key))
        .subquery()
    )


def _in_force() -> list[ColumnElement[bool]]:
    return [
        col(PlanVersion.status) == PlanStatus.confirmed,
        col(PlanVersion.superseded).is_(False),
    ]


def _matches(words: str) -> ColumnElement[bool]:
    """The client's name or the service's title (any language) contains `words`."""
    needle = words.strip().lower()
    texts = [func.lower(col(User.display_name))]
    texts += [func.lower(col(PlanLine.title)[lang].as_string()) for lang in LANGUAGES]
    return or_(*(text.contains(needle, autoescape=True) for text in texts))


def _rows(session: Session, actor: Actor, where: list[Any], limit: int, offset: int = 0) -> Any:
    used = _used_units()
    stmt = (
        readable_order_columns(
            actor,
            col(PlanLine.id).label("line_id"),
            col(PlanLine.title),
            col(Budget.client_id).label("client_id"),
            col(User.display_name),
            col(PlanLine.quantity),
            col(PlanLine.repeats),
            col(PlanLine.unit),
            col(PlanLine.unit_price_cents),
            col(PlanLine.order_status),
            func.coalesce(used.c.units, 0).label("delivered"),
            col(PlanVersion.decided_at),
        )
        .outerjoin(used, used.c.line_key == col(PlanLine.line_key))
        .where(*_in_force(), *where)
        .order_by(col(PlanVersion.decided_at).desc(), col(PlanLine.id).desc())
        .limit(limit)
        .offset(offset)
    )
    return [
        OrderRow(
            line_id=r.line_id,
            title=r.title or {},
            client_id=r.client_id,
            client_name=r.display_name,
            quantity=r.quantity,
            repeats=r.repeats,
            unit=r.unit,
            unit_price_cents=r.unit_price_cents,
            status=OrderStatus(r.order_status),
            delivered_units=int(r.delivered or 0),
            ordered_at=r.decided_at,
        )
        for r in session.execute(stmt).all()
    ]


def _count(session: Session, actor: Actor, where: list[Any]) -> int:
    stmt = readable_order_columns(actor, func.count(col(PlanLine.id)).label("n")).where(
        *_in_force(), *where
    )
    return int(session.execute(stmt).scalar_one())


def _clients(session: Session, actor: Actor) -> list[tuple[int, str]]:
    stmt = (
        readable_order_columns(
            actor, col(Budget.client_id).label("client_id"), col(User.display_name)
        )
        .where(*_in_force())
        .distinct()
        .order_by(col(User.display_name), col(Budget.client_id))
    )
    return [(r.client_id, r.display_name) for r in session.execute(stmt).all()]


def order_page(session: Session, actor: Actor, query: OrderQuery) -> OrderPage:
    """The queue of new orders (unfiltered, newest first) and one page of the orders asked
    for (new ones first when no status is asked, then newest first)."""
    pending = [col(PlanLine.order_status) == OrderStatus.pending]
    new = _rows(session, actor, pending, NEW_LIMIT)
    new_count = len(new) if len(new) < NEW_LIMIT else _count(session, actor, pending)
    where: list[Any] = []
    if query.q.strip():
        where.append(_matches(query.q))
    if query.status is not None:
        where.append(col(PlanLine.order_status) == query.status)
    elif not query.filtered:
        where.append(col(PlanLine.order_status) != OrderStatus.pending)  # they are above
    if query.client_id is not None:
        where.append(col(Budget.client_id) == query.client_id)
    total = _count(session, actor, where)
    pages = max(1, ceil(total / PAGE_SIZE))
    page = min(max(1, query.page), pages)
    rows = _rows(session, actor, where, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    return OrderPage(new, new_count, rows, total, page, pages, _clients(session, actor))


def order_row(session: Session, actor: Actor, line_id: int) -> OrderRow | None:
    """One order in force of the actor's providers, or None."""
    found = _rows(session, actor, [col(PlanLine.id) == line_id], 1)
    return found[0] if found else None


def order_deliveries(session: Session, actor: Actor, line_id: int) -> list[Delivery]:
    """The deliveries reported on an order (on any version of its line), newest first."""
    key = select(PlanLine.line_key).where(col(PlanLine.id) == line_id).scalar_subquery()
    stmt = (
        readable_provider_deliveries(actor)
        .join(PlanLine, col(PlanLine.id) == col(Delivery.plan_line_id))
        .where(col(PlanLine.line_key) == key)
        .order_by(col(Delivery.delivered_on).desc(), col(Delivery.id).desc())
    )
    return list(session.exec(stmt).all())
