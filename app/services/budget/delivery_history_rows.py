"""A delivery's history as the client, the provider and the case worker read it: the chain of
deliveries a correction replaced, and each event with who did it (read in bulk for a page)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.models.ledger import (
    Delivery,
    DeliveryAction,
    DeliveryEvent,
)
from app.models.user import User


@dataclass(frozen=True)
class HistoryRow:
    event: DeliveryEvent
    actor_name: str
    on_behalf_of_name: str | None


CHAIN_MAX = 50  # deliveries one history follows back at most


def chains(session: Session, delivery_ids: Sequence[int]) -> dict[int, list[int]]:
    """Each delivery and the ones it replaced, newest first: one query per step back, for
    all the deliveries at once (not one per delivery)."""
    found = {i: [i] for i in delivery_ids}
    tips = {i: i for i in delivery_ids}  # each chain's oldest delivery found so far
    for _ in range(CHAIN_MAX - 1):
        if not tips:
            break
        rows = session.exec(
            select(DeliveryEvent.delivery_id, DeliveryEvent.related_id).where(
                col(DeliveryEvent.delivery_id).in_(set(tips.values())),
                DeliveryEvent.action == DeliveryAction.replaces,
            )
        ).all()
        older: dict[int, int] = {}
        for newer, replaced in rows:
            if replaced is not None:
                older.setdefault(newer, replaced)
        tips = {root: older[tip] for root, tip in tips.items() if tip in older}
        for root, tip in tips.items():
            found[root].append(tip)
    return found


def chain(session: Session, delivery: Delivery) -> list[int]:
    """The delivery and the ones it replaced, newest first."""
    if delivery.id is None:
        return []
    return chains(session, [delivery.id])[delivery.id]


def history(session: Session, delivery: Delivery) -> list[HistoryRow]:
    """Who did what to the delivery (and the ones it replaced), when and why, in order."""
    return histories(session, [delivery]).get(delivery.id or 0, [])  # type: ignore[arg-type]


def histories(session: Session, rows: Sequence[Delivery]) -> dict[int, list[HistoryRow]]:
    """The history of each delivery that has one (by delivery id): a few queries for any
    number of deliveries (the chains, their events, the names of who acted)."""
    followed = chains(session, [d.id for d in rows if d.id is not None])
    every = {i for ids in followed.values() for i in ids}
    if not every:
        return {}
    events = session.exec(
        select(DeliveryEvent)
        .where(col(DeliveryEvent.delivery_id).in_(every))
        .order_by(col(DeliveryEvent.occurred_at), col(DeliveryEvent.id))
    ).all()
    people = {e.actor_id for e in events} | {e.on_behalf_of_id for e in events}
    people.discard(None)
    names = dict(
        session.exec(select(User.id, User.display_name).where(col(User.id).in_(people))).all()
    )

    def name(user_id: int | None) -> str:
        return "" if user_id is None else str(names.get(user_id, "?"))

    out: dict[int, list[HistoryRow]] = {}
    for delivery_id, ids in followed.items():
        members = set(ids)
        mine = [
            HistoryRow(e, name(e.actor_id), name(e.on_behalf_of_id) or None)
            for e in events
            if e.delivery_id in members
        ]
        if mine:
            out[delivery_id] = mine
    return out
