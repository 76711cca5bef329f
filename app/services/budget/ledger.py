"""The append-only ledger: postings with idempotency keys, derived balances, verification.

Every posting first locks the budget row (`app/transactions.lock_row`: PostgreSQL SELECT ...
FOR UPDATE, SQLite the write lock), so two confirmations can never both spend the same euro.

Two accounts per budget: the budget's money (allocations, delivery debits, corrections) and
the client's prepaid own share (`PREPAID`: payments received online, what deliveries drew
from it, refunds, disputes). Neither pays from the other: `balance` is the budget's account
only, `prepaid_balance` the client's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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

# The client's prepaid account (see the module text).
PREPAID = (
    EntryKind.own_share_prepaid,
    EntryKind.own_share_drawn,
    EntryKind.refund,
    EntryKind.payment_dispute,
)


class KeyReused(RuntimeError):
    """An idempotency key posted again with another amount, kind or account: a bug, never
    dropped silently."""


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
    """Append one entry; a key that was already posted with the same budget, kind, amount and
    account is a no-op (returns None); with anything else it raises `KeyReused`."""
    if _same_as_posted(session, key, budget, kind, amount_cents, affects_balance):
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
    added = add_once(session, entry)
    if added is None:  # a concurrent post took the key first: it must be the same posting
        _same_as_posted(session, key, budget, kind, amount_cents, affects_balance)
    return added


def _same_as_posted(
    session: Session, key: str, budget: Budget, kind: EntryKind, amount: int, affects: bool
) -> bool:
    """Whether `key` was posted already, raising `KeyReused` if it was posted differently."""
    posted = session.exec(
        select(LedgerEntry.budget_id, LedgerEntry.kind, LedgerEntry.amount_cents)
        .add_columns(LedgerEntry.affects_balance)
        .where(LedgerEntry.idempotency_key == key)
    ).first()
    if posted is None:
        return False
    if tuple(posted) != (budget.id, kind, amount, affects):
        raise KeyReused(f"{key}: posted as {tuple(posted)}, now {(budget.id, kind, amount)}")
    return True


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
    """The budget's money left (the client's prepaid own share is not in it)."""
    total = session.exec(
        select(func.coalesce(func.sum(LedgerEntry.amount_cents), 0)).where(
            LedgerEntry.budget_id == budget.id,
            col(LedgerEntry.affects_balance),
            col(LedgerEntry.kind).not_in(PREPAID),
        )
    ).one()
    return int(total)


def sum_of(session: Session, budget: Budget, kinds: tuple[EntryKind, ...]) -> int:
    total = session.exec(
        select(func.coalesce(func.sum(LedgerEntry.amount_cents), 0)).where(
            LedgerEntry.budget_id == budget.id, col(LedgerEntry.kind).in_(kinds)
        )
    ).one()
    return int(total)


def prepaid_balance(session: Session, budget: Budget) -> int:
    """The client's prepaid own share not yet drawn by deliveries, refunded or disputed."""
    return sum_of(session, budget, PREPAID)


def own_share_spent(session: Session, budget: Budget) -> int:
    """Own share deliveries have taken so far: invoiced by providers or drawn from prepaid."""
    invoiced = sum_of(session, budget, (EntryKind.own_share_payment,))
    return invoiced - sum_of(session, budget, (EntryKind.own_share_drawn,))


def post_own_part(
    session: Session,
    budget: Budget,
    delivery: Delivery,
    line: PlanLine,
    own: int,
    actor: Actor | None,
) -> None:
    """A delivery's own part: drawn from the client's prepaid own share as far as it goes
    (the organiser then pays the provider that part too), the rest invoiced by the provider."""
    drawn = min(own, max(0, prepaid_balance(session, budget)))
    parts = (
        (EntryKind.own_share_drawn, -drawn, f"drawn:{delivery.id}", True, "prepaid online"),
        (EntryKind.own_share_payment, own - drawn, f"own:{delivery.id}", False, "invoiced"),
    )
    for kind, amount, key, affects, note in parts:
        if amount:
            post(
                session,
                budget,
                kind,
                amount,
                key,
                actor=actor,
                delivery=delivery,
                line=line,
                affects_balance=affects,
                note=note,
            )


def _delivery_keys(delivery: Delivery) -> tuple[str, str, str]:
    """The keys a delivery's posting uses: its budget part, its prepaid and invoiced own part."""
    return (f"delivery:{delivery.id}", f"drawn:{delivery.id}", f"own:{delivery.id}")


def delivery_paid(session: Session, delivery: Delivery) -> int:
    """What the delivery's entries pay now (its budget part and own part, net of a
    reversal): 0 when it was never posted or has been reversed."""
    return _paid_by(session.exec(select(LedgerEntry).where(LedgerEntry.delivery_id == delivery.id)))


def _paid_by(entries: Iterable[LedgerEntry]) -> int:
    """What entries of a delivery pay: debits of the budget or the prepaid account, and the
    own share the provider invoices."""
    return sum(
        e.amount_cents if e.kind == EntryKind.own_share_payment else -e.amount_cents
        for e in entries
    )


def reverse_delivery(
    session: Session, budget: Budget, delivery: Delivery, actor: Actor | None
) -> int:
    """Post the opposite of each entry of the delivery's posting, never editing one: the
    budget's part comes back as a correction, the prepaid own share goes back to the client's
    prepaid account, the invoiced own share is cancelled. What was reversed (cents)."""
    entries = session.exec(
        select(LedgerEntry).where(col(LedgerEntry.idempotency_key).in_(_delivery_keys(delivery)))
    ).all()
    line = session.get(PlanLine, delivery.plan_line_id)
    for entry in entries:
        kind = EntryKind.correction if entry.kind == EntryKind.delivery_debit else entry.kind
        post(
            session,
            budget,
            kind,
            -entry.amount_cents,
            f"reversal:{entry.idempotency_key}",
            actor=actor,
            delivery=delivery,
            line=line,
            affects_balance=entry.affects_balance,
            note="reversal",
        )
    return _paid_by(entries)


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
    """Own share the client has paid so far: invoiced by providers, or received online net
    of refunds and disputes."""
    online = (EntryKind.own_share_prepaid, EntryKind.refund, EntryKind.payment_dispute)
    return sum_of(session, budget, (EntryKind.own_share_payment, *online))


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
        if prepaid_balance(session, budget) < 0:
            problems.append(Discrepancy(budget.id, "prepaid own share refunded after spending"))
        deliveries = session.exec(select(Delivery).where(Delivery.budget_id == budget.id)).all()
        for delivery in deliveries:
            entries = session.exec(
                select(LedgerEntry).where(LedgerEntry.delivery_id == delivery.id)
            ).all()
            # A delivery disputed after it was paid stays paid until the dispute's outcome.
            held = delivery.status in HELD and any(
                e.kind == EntryKind.delivery_debit for e in entries
            )
            done = delivery.status in (DeliveryStatus.confirmed, DeliveryStatus.auto_accepted)
            done = done or held
            debit = sum(-e.amount_cents for e in entries if e.kind == EntryKind.delivery_debit)
            own = sum(
                abs(e.amount_cents)
                for e in entries
                if e.kind in (EntryKind.own_share_payment, EntryKind.own_share_drawn)
            )
            if not done and _unreversed(entries):
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


HELD = (DeliveryStatus.disputed, DeliveryStatus.contested)


def _unreversed(entries: Sequence[LedgerEntry]) -> bool:
    """Whether entries of a delivery that is not paid (any more) still move money: each part
    (the budget's, the prepaid, the invoiced own share) must net to zero."""
    parts = (
        (EntryKind.delivery_debit, EntryKind.correction),
        (EntryKind.own_share_drawn,),
        (EntryKind.own_share_payment,),
    )
    return any(sum(e.amount_cents for e in entries if e.kind in kinds) for kinds in parts)


def _line_key(session: Session, delivery: Delivery) -> str | None:
    line = session.get(PlanLine, delivery.plan_line_id)
    return line.line_key if line else None
