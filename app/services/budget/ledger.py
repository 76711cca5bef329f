"""The append-only ledger: postings with idempotency keys, derived balances, verification.

Every posting first locks the budget row (`app/transactions.lock_row`: PostgreSQL SELECT ...
FOR UPDATE, SQLite the write lock), so two confirmations can never both spend the same euro.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models.actor import Actor
from app.models.budget import Budget, PlanLine, PlanStatus, PlanVersion
from app.models.ledger import Delivery, DeliveryStatus, EntryKind, LedgerEntry
from app.models.payment import Payment
from app.transactions import add_once, lock_row


def lock_budget(session: Session, budget: Budget) -> Budget:
    """Re-read the budget row under its lock for the rest of the transaction: every state
    change of the budget, its plan and its deliveries starts here (a guarded transition).
    The budget's plans, lines, deliveries and entries the session loaded before are expired,
    so every later read of them is current (people and the rest stay as they were loaded:
    an error page may still show them after the rollback)."""
    locked = lock_row(session, Budget, budget.id)
    for row in list(session.identity_map.values()):
        if isinstance(row, _GUARDED):
            session.expire(row)
    return locked


_GUARDED = (PlanVersion, PlanLine, Delivery, LedgerEntry, Payment)


def post(
    session: Session,
    budget: Budget,
    kind: EntryKind,
    amount_cents: int,
    key: str,
    *,
    actor: Actor | None = None,
    delivery: Delivery | None = None,
    line: PlanLine | None = None,
    affects_balance: bool = True,
    note: str = "",
) -> LedgerEntry | None:
    """Append one entry; a key that was already posted is a no-op (returns None)."""
    if session.exec(select(LedgerEntry.id).where(LedgerEntry.idempotency_key == key)).first():
        return None
    entry = LedgerEntry(
        budget_id=budget.id,
        kind=kind,
        amount_cents=amount_cents,
        affects_balance=affects_balance,
        idempotency_key=key,
        delivery_id=delivery.id if delivery else None,
        line_key=line.line_key if line else None,
        category_id=line.category_id if line else None,
        created_by_id=actor.user_id if actor else None,
        note=note,
    )
    return add_once(session, entry)


def allocated(session: Session, budget: Budget) -> int:
    total = session.exec(
        select(func.coalesce(func.sum(LedgerEntry.amount_cents), 0)).where(
            LedgerEntry.budget_id == budget.id, LedgerEntry.kind == EntryKind.allocation
        )
    ).one()
    return int(total)


def post_allocation(session: Session, actor: Actor, budget: Budget) -> None:
    """Credit the difference between the frame and what has been allocated so far."""
    difference = budget.frame_cents - allocated(session, budget)
    if difference:
        post(
            session,
            budget,
            EntryKind.allocation,
            difference,
            f"alloc:{budget.id}:{budget.frame_version}",
            actor=actor,
        )


def balance(session: Session, budget: Budget) -> int:
    total = session.exec(
        select(func.coalesce(func.sum(LedgerEntry.amount_cents), 0)).where(
            LedgerEntry.budget_id == budget.id, col(LedgerEntry.affects_balance)
        )
    ).one()
    return int(total)


def spent_by_line_key(session: Session, budget: Budget) -> dict[str, int]:
    """Budget money and own shares spent per line key (positive cents)."""
    rows = session.exec(
        select(LedgerEntry.line_key, func.sum(LedgerEntry.amount_cents))
        .where(
            LedgerEntry.budget_id == budget.id,
            col(LedgerEntry.kind).in_([EntryKind.delivery_debit, EntryKind.correction]),
            col(LedgerEntry.line_key).is_not(None),
        )
        .group_by(LedgerEntry.line_key)
    ).all()
    return {str(key): -int(total) for key, total in rows}


def spent_by_category(session: Session, budget: Budget) -> dict[int | None, int]:
    rows = session.exec(
        select(LedgerEntry.category_id, func.sum(LedgerEntry.amount_cents))
        .where(
            LedgerEntry.budget_id == budget.id,
            col(LedgerEntry.kind).in_([EntryKind.delivery_debit, EntryKind.correction]),
        )
        .group_by(LedgerEntry.category_id)
    ).all()
    return {key: -int(total) for key, total in rows}


def own_share_used(session: Session, budget: Budget) -> int:
    """Own share paid so far (prepaid online or invoiced by providers), net of refunds."""
    total = session.exec(
        select(func.coalesce(func.sum(LedgerEntry.amount_cents), 0)).where(
            LedgerEntry.budget_id == budget.id,
            col(LedgerEntry.kind).in_([EntryKind.own_share_payment, EntryKind.refund]),
        )
    ).one()
    return int(total)


def lines_in_force(budget: Budget) -> SelectOfScalar[PlanLine]:
    """The lines of the budget's confirmed plan in force."""
    return (
        select(PlanLine)
        .join(PlanVersion, col(PlanVersion.id) == PlanLine.plan_version_id)
        .where(
            PlanVersion.budget_id == budget.id,
            PlanVersion.status == PlanStatus.confirmed,
            col(PlanVersion.superseded).is_(False),
        )
    )


@dataclass(frozen=True)
class Discrepancy:
    budget_id: int
    problem: str


def verify(session: Session) -> list[Discrepancy]:
    """Reconcile every budget: allocations equal the frame, each confirmed delivery posted
    exactly once with its parts adding up, no negative balance."""
    problems: list[Discrepancy] = []
    for budget in session.exec(select(Budget).order_by(col(Budget.id))).all():
        assert budget.id is not None
        if allocated(session, budget) != budget.frame_cents:
            problems.append(Discrepancy(budget.id, "allocations do not equal the frame"))
        if balance(session, budget) < 0:
            problems.append(Discrepancy(budget.id, "negative balance"))
        deliveries = session.exec(select(Delivery).where(Delivery.budget_id == budget.id)).all()
        for delivery in deliveries:
            entries = session.exec(
                select(LedgerEntry).where(LedgerEntry.delivery_id == delivery.id)
            ).all()
            done = delivery.status in (DeliveryStatus.confirmed, DeliveryStatus.auto_accepted)
            debit = sum(-e.amount_cents for e in entries if e.kind == EntryKind.delivery_debit)
            own = sum(e.amount_cents for e in entries if e.kind == EntryKind.own_share_payment)
            if not done and entries:
                problems.append(Discrepancy(budget.id, f"delivery {delivery.id} posted early"))
            if done and (debit != delivery.budget_cents or own != delivery.own_share_cents):
                problems.append(Discrepancy(budget.id, f"delivery {delivery.id} mis-posted"))
            if done and delivery.budget_cents + delivery.own_share_cents != delivery.amount_cents:
                problems.append(Discrepancy(budget.id, f"delivery {delivery.id} parts differ"))
        confirmed_lines = session.exec(lines_in_force(budget)).all()
        planned = {line.line_key: line.cost_cents for line in confirmed_lines}
        for key, spent in spent_by_line_key(session, budget).items():
            own = sum(
                d.own_share_cents
                for d in deliveries
                if d.status in (DeliveryStatus.confirmed, DeliveryStatus.auto_accepted)
                and _line_key(session, d) == key
            )
            if key in planned and spent + own > planned[key]:
                problems.append(Discrepancy(budget.id, f"line {key} overdrawn"))
    return problems


def _line_key(session: Session, delivery: Delivery) -> str | None:
    line = session.get(PlanLine, delivery.plan_line_id)
    return line.line_key if line else None
