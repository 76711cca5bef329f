"""The synthetic cohort's budgets, bulk-inserted: the frame and its allocation entry, the
plan versions with the events they make and the teaming meetings, the plan lines with their
orders, and deliveries posted to the ledger (a few disputed, those not posted)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from sqlmodel import Session

from app.demo.bulk import insert_rows as _insert
from app.demo.cohort_specs import ClientSpec, DeliverySpec, LineSpec
from app.models.budget import (
    Budget,
    FrameVersion,
    Meeting,
    MeetingKind,
    OrderStatus,
    PlanAction,
    PlanEvent,
    PlanLine,
    PlanStatus,
    PlanVersion,
)
from app.models.ledger import Delivery, DeliveryStatus, EntryKind, LedgerEntry
from app.models.organiser import Organiser


class Client(NamedTuple):
    spec: ClientSpec
    id: int


class Placed(NamedTuple):
    """A client's budget; after the plans are in, the version that holds the lines and
    when it was confirmed (None: not yet)."""

    spec: ClientSpec
    client_id: int
    budget_id: int
    plan_id: int | None = None
    confirmed_at: datetime | None = None


class Ordered(NamedTuple):
    budget: Placed
    line_id: int
    row: dict[str, Any]
    line: LineSpec


def insert_budgets(
    session: Session, organiser: Organiser, clients: list[Client], reporters: dict[int, int]
) -> list[Placed]:
    """Each client's budget and plan, its orders and deliveries."""
    placed = _insert_plans(session, _insert_budgets(session, organiser, clients))
    _insert_deliveries(session, _insert_lines(session, placed), reporters)
    return placed


def _insert_budgets(session: Session, organiser: Organiser, clients: list[Client]) -> list[Placed]:
    """A year's budget from the frame: its first frame version and the allocation entry."""
    rows = [_budget_row(organiser, c.spec, c.id) for c in clients]
    ids = _insert(session, Budget, rows)
    frames, allocations = [], []
    for c, bid, row in zip(clients, ids, rows, strict=True):
        s = c.spec
        frames.append(
            {
                "budget_id": bid,
                "version": 1,
                "frame_cents": s.frame_cents,
                "shares_bp": dict(row["shares_bp"]),
                "reason": "Alkuarvio / Inledande bedömning",
                "changed_by_id": s.worker_id,
                "created_at": s.frame_at,
            }
        )
        allocation = _entry(bid, EntryKind.allocation, s.frame_cents, f"alloc:{bid}:1", s.frame_at)
        allocations.append(allocation | {"created_by_id": s.worker_id})
    _insert(session, FrameVersion, frames)
    _insert(session, LedgerEntry, allocations)
    return [Placed(c.spec, c.id, bid) for c, bid in zip(clients, ids, strict=True)]


def _budget_row(organiser: Organiser, s: ClientSpec, client_id: int) -> dict[str, Any]:
    shares: dict[str, int] = {}
    if s.frame_arm == "B":  # arm B: the frame comes with shares per category
        categories = sorted({line.offer.category_id for line in s.lines})
        shares = {str(c): 10_000 // max(1, len(categories) + 1) for c in categories}
    start = s.frame_at.date()
    return {
        "client_id": client_id,
        "organiser_id": organiser.id,
        "period_start": start,
        "period_end": start + timedelta(days=364),
        "arm": s.frame_arm,
        "teaming": s.teaming,
        "frame_cents": s.frame_cents,
        "shares_bp": shares,
        "frame_version": 1,
        "created_at": s.frame_at,
    }


def _insert_plans(session: Session, budgets: list[Placed]) -> list[Placed]:
    """The plan versions, the events they make (frame set, submitted, returned, confirmed)
    and a teaming meeting the day before a confirmation in the teaming arm."""
    versions = [(b, row) for b in budgets for row in _versions(b.spec, b.budget_id)]
    ids = _insert(session, PlanVersion, [row for _b, row in versions])
    events = [_event(b, PlanAction.frame_set, b.spec.worker_id, b.spec.frame_at) for b in budgets]
    placed: dict[int, Placed] = {}
    for (b, row), pid in zip(versions, ids, strict=True):
        events.extend(_version_events(b, row, pid))
        placed[b.budget_id] = b._replace(plan_id=pid, confirmed_at=row["decided_at"])
    _insert(session, PlanEvent, events)
    meetings = [
        {
            "budget_id": b.budget_id,
            "kind": MeetingKind.teaming,
            "held_on": (b.confirmed_at - timedelta(days=1)).date(),
            "recorded_by_id": b.spec.worker_id,
        }
        for b in placed.values()
        if b.spec.teaming and b.confirmed_at
    ]
    _insert(session, Meeting, meetings)
    return list(placed.values())


def _versions(s: ClientSpec, budget_id: int) -> list[dict[str, Any]]:
    """A returned plan is version 1 and its resubmission version 2; the last one is current
    (decided_at is set only on the versions the case worker decided)."""
    decided = s.frame_at + timedelta(days=s.days_to_confirmation)
    submitted = decided - timedelta(days=3)
    rows = []
    if s.plan == "returned":
        returned = _plan(budget_id, 1, PlanStatus.returned, submitted - timedelta(days=7))
        returned |= {"review_comment": "Lisää vielä yksi palvelu."}
        rows.append(_decided(returned, submitted - timedelta(days=5), s.worker_id))
    status = {"submitted": PlanStatus.submitted, "draft": PlanStatus.draft}.get(
        s.plan, PlanStatus.confirmed
    )
    current = _plan(
        budget_id, len(rows) + 1, status, None if status == PlanStatus.draft else submitted
    )
    if status == PlanStatus.confirmed:
        current = _decided(current, decided, s.worker_id)
    return [*rows, current]


def _decided(row: dict[str, Any], at: datetime, by_id: int) -> dict[str, Any]:
    return row | {"decided_at": at, "decided_by_id": by_id}


def _version_events(b: Placed, row: dict[str, Any], plan_id: int) -> list[dict[str, Any]]:
    """What a plan version tells about who did what when: the client submitted it, the
    case worker returned or confirmed it."""
    events = []
    if row["submitted_at"] is not None:
        events.append(_event(b, PlanAction.submitted, b.client_id, row["submitted_at"], plan_id))
    decisions = {
        PlanStatus.returned: PlanAction.returned,
        PlanStatus.confirmed: PlanAction.confirmed,
    }
    action = decisions.get(row["status"])
    if action is not None:
        events.append(_event(b, action, b.spec.worker_id, row["decided_at"], plan_id))
    return events


def _insert_lines(session: Session, budgets: list[Placed]) -> list[Ordered]:
    """The current plan's lines; the orders are accepted when the plan was confirmed."""
    pending = [(b, line, n) for b in budgets for n, line in enumerate(b.spec.lines)]
    rows = [_line_row(b, line, n) for b, line, n in pending]
    ids = _insert(session, PlanLine, rows)
    return [
        Ordered(b, lid, row, line)
        for (b, line, _n), lid, row in zip(pending, ids, rows, strict=True)
    ]


def _line_row(b: Placed, line: LineSpec, n: int) -> dict[str, Any]:
    offer = line.offer
    price = max(1, offer.unit_price_cents)
    repeats = max(1, line.cost_cents // price)
    return {
        "plan_version_id": b.plan_id,
        "line_key": f"s{b.budget_id}-{n}",
        "offer_id": offer.id,
        "provider_id": offer.provider_id,
        "category_id": offer.category_id,
        "title": dict(offer.title),
        "unit": str(offer.unit),
        "unit_price_cents": price,
        "quantity": 1,
        "repeats": repeats,
        "cost_cents": price * repeats,
        "order_status": OrderStatus.accepted if b.confirmed_at else OrderStatus.pending,
        "order_decided_at": b.confirmed_at,
    }


def _insert_deliveries(session: Session, ordered: list[Ordered], reporters: dict[int, int]) -> None:
    """The deliveries of accepted orders, never more units than ordered; the confirmed
    ones are debited from the budget two days after delivery, the disputed ones not."""
    rows, lines = [], []
    for o in ordered:
        if o.budget.confirmed_at is None:
            continue
        left = o.row["repeats"]
        for d in o.line.schedule():
            units = min(left, max(1, d.cents // o.row["unit_price_cents"]))
            if units <= 0:
                break
            left -= units
            rows.append(_delivery_row(o, d, units, reporters))
            lines.append(o.row)
    ids = _insert(session, Delivery, rows)
    debits = [
        _debit(did, row, line)
        for did, row, line in zip(ids, rows, lines, strict=True)
        if row["status"] == DeliveryStatus.confirmed
    ]
    _insert(session, LedgerEntry, debits)


def _delivery_row(
    o: Ordered, d: DeliverySpec, units: int, reporters: dict[int, int]
) -> dict[str, Any]:
    assert o.budget.confirmed_at is not None
    day = o.budget.confirmed_at + timedelta(days=d.after_days)
    amount = units * o.row["unit_price_cents"]
    return {
        "budget_id": o.budget.budget_id,
        "plan_line_id": o.line_id,
        "provider_id": o.row["provider_id"],
        "delivered_on": min(day.date(), datetime.now(UTC).date()),
        "units": units,
        "amount_cents": amount,
        "status": DeliveryStatus.disputed if d.disputed else DeliveryStatus.confirmed,
        "reported_by_id": reporters.get(o.row["provider_id"], o.budget.spec.worker_id),
        "decided_at": min(day + timedelta(days=2), datetime.now(UTC)),
        "dispute_reason": "Palvelu jäi osittain saamatta." if d.disputed else "",
        "budget_cents": 0 if d.disputed else amount,
    }


# --- rows -----------------------------------------------------------------------------------


def _debit(delivery_id: int, delivery: dict[str, Any], line: dict[str, Any]) -> dict[str, Any]:
    key = f"delivery:{delivery_id}:debit"
    cents, at = -delivery["budget_cents"], delivery["decided_at"]
    entry = _entry(delivery["budget_id"], EntryKind.delivery_debit, cents, key, at)
    return entry | {
        "delivery_id": delivery_id,
        "line_key": line["line_key"],
        "category_id": line["category_id"],
    }


def _entry(budget_id: int, kind: EntryKind, cents: int, key: str, at: datetime) -> dict[str, Any]:
    return {
        "budget_id": budget_id,
        "kind": kind,
        "amount_cents": cents,
        "idempotency_key": key,
        "posted_at": at,
    }


def _plan(
    budget_id: int, number: int, status: PlanStatus, submitted: datetime | None
) -> dict[str, Any]:
    return {
        "budget_id": budget_id,
        "number": number,
        "status": status,
        "submitted_at": submitted,
        "decided_at": None,
        "decided_by_id": None,
    }


def _event(
    b: Placed, action: PlanAction, actor_id: int, at: datetime, plan_id: int | None = None
) -> dict[str, Any]:
    return {
        "budget_id": b.budget_id,
        "plan_version_id": plan_id,
        "action": action,
        "actor_id": actor_id,
        "occurred_at": at,
    }
