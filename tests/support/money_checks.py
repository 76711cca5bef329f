"""The money invariants the state-machine test (tests/budget/test_money_model.py) checks after
every step, read from the database in a session of their own."""

from __future__ import annotations

from collections import Counter

from sqlmodel import Session, col, select

from app.config import Settings
from app.models.budget import Budget
from app.models.ledger import Delivery, EntryKind, LedgerEntry
from app.models.organiser import Organiser
from app.models.payment import Payment
from app.models.settlement import SettlementEntry, SettlementLine
from app.services.budget import frames, ledger, limits, payment_events, settlement

DONE = limits.DONE
# What the budget's account holds besides deliveries: a reversal is a correction entry.
REVERSALS = (EntryKind.correction,)


def ledger_verify(session: Session, settings: Settings) -> list[str]:
    """What `hebu ledger verify` reports (app/cli.py: ledger_verify)."""
    problems = [
        *ledger.verify(session),
        *settlement.verify(session),
        *payment_events.verify(session, settings),
    ]
    return [f"budget {p.budget_id}: {p.problem}" for p in problems]


def money_problems(session: Session, budget_id: int, reversed_cents: int) -> list[str]:
    """The ledger against the deliveries of one budget; `reversed_cents`: the reversals the
    test made (positive cents returned to the budget)."""
    budget = session.get(Budget, budget_id)
    assert budget is not None
    entries = session.exec(select(LedgerEntry).where(LedgerEntry.budget_id == budget_id)).all()
    done = session.exec(
        select(Delivery).where(Delivery.budget_id == budget_id, col(Delivery.status).in_(DONE))
    ).all()
    found: list[str] = []

    def total(*kinds: EntryKind) -> int:
        return sum(e.amount_cents for e in entries if e.kind in kinds)

    # ledger = confirmed deliveries - reversals, on the budget's account.
    spent = ledger.allocated(session, budget) - ledger.balance(session, budget)
    if spent != sum(d.budget_cents for d in done) - reversed_cents:
        found.append(f"budget spent {spent} is not confirmed deliveries minus reversals")
    if total(*REVERSALS) != reversed_cents:
        found.append("reversals posted differ from the reversals made")
    # No cent lost or counted twice: each done delivery is paid once, in full.
    per_delivery = Counter((e.delivery_id, e.kind) for e in entries if e.delivery_id)
    if any(n > 1 for n in per_delivery.values()):
        found.append(f"a delivery posted twice: {per_delivery.most_common(1)}")
    posted = {e.delivery_id for e in entries if e.delivery_id}
    done_ids = {d.id for d in done}
    if posted - done_ids:
        found.append(f"entries for deliveries not confirmed: {sorted(posted - done_ids)}")  # type: ignore[type-var]
    for delivery in done:
        if delivery.budget_cents + delivery.own_share_cents != delivery.amount_cents:
            found.append(f"delivery {delivery.id}: parts do not add up to its amount")
        debit = -sum(
            e.amount_cents
            for e in entries
            if e.delivery_id == delivery.id and e.kind == EntryKind.delivery_debit
        )
        if debit != delivery.budget_cents:
            found.append(
                f"delivery {delivery.id}: debited {debit}, its part {delivery.budget_cents}"
            )
    own = total(EntryKind.own_share_payment) - total(EntryKind.own_share_drawn)
    if own != sum(d.own_share_cents for d in done):
        found.append(f"own shares posted {own}, deliveries' own parts differ")
    found += _prepaid_problems(session, budget, entries)
    found += _category_problems(session, budget)
    return found


def _prepaid_problems(session: Session, budget: Budget, entries: list[LedgerEntry]) -> list[str]:
    """The client's account: what Stripe paid in, less refunds, disputes and what deliveries
    drew; never below zero."""
    payments = session.exec(select(Payment).where(Payment.budget_id == budget.id)).all()
    expected = sum(p.received_cents - p.refunded_cents - p.disputed_cents for p in payments)
    drawn = -sum(e.amount_cents for e in entries if e.kind == EntryKind.own_share_drawn)
    left = ledger.prepaid_balance(session, budget)
    found = []
    if left != expected - drawn:
        found.append(
            f"prepaid {left}, payments less refunds, disputes and draws {expected - drawn}"
        )
    if left < 0:
        found.append(f"prepaid account below zero: {left}")
    return found


def _category_problems(session: Session, budget: Budget) -> list[str]:
    """Balance never below zero, per category share (arm B) too: no decision allowing it
    exists, so none may."""
    found = []
    if ledger.balance(session, budget) < 0:
        found.append("budget balance below zero")
    if not frames.shares_of(budget):
        return found
    for line in session.exec(ledger.lines_in_force(budget)).all():
        left = limits.category_left(session, budget, line)
        if left is not None and left < 0:
            found.append(f"category {line.category_id} share overspent by {-left}")
    return found


def settlement_problems(session: Session, reversed_cents: dict[int, int]) -> list[str]:
    """Derive every organiser's settlements (the caller rolls back), then: every line traces
    to exactly one delivery, every delivery's entries are settled exactly once and add up to
    its lines (its amount less what was reversed of it, by delivery id)."""
    settlement.refresh(session, list(session.exec(select(Organiser.id)).all()))  # type: ignore[arg-type]
    found = []
    lines = session.exec(select(SettlementLine)).all()
    keys = Counter((line.settlement_id, line.delivery_id) for line in lines)
    if any(n > 1 for n in keys.values()):
        found.append("a delivery has two lines in one settlement")
    links = session.exec(select(SettlementEntry)).all()
    per_entry = Counter(link.ledger_entry_id for link in links)
    if any(n > 1 for n in per_entry.values()):
        found.append("a ledger entry is in two settlement lines")
    by_line = {line.id: line for line in lines}
    for link in links:
        entry = session.get(LedgerEntry, link.ledger_entry_id)
        line = by_line.get(link.settlement_line_id)
        if entry is None or line is None or entry.delivery_id != line.delivery_id:
            found.append(f"settlement line {link.settlement_line_id} strays from its delivery")
    settled = set(per_entry)
    unsettled = session.exec(
        select(LedgerEntry.id).where(
            col(LedgerEntry.delivery_id).is_not(None), col(LedgerEntry.id).not_in(settled)
        )
    ).all()
    if unsettled:
        found.append(f"entries of deliveries in no settlement: {sorted(unsettled)[:5]}")  # type: ignore[type-var]
    for delivery in session.exec(select(Delivery).where(col(Delivery.status).in_(DONE))).all():
        mine = [line for line in lines if line.delivery_id == delivery.id]
        paid = sum(line.budget_cents + line.own_share_cents for line in mine)
        if paid != delivery.amount_cents - reversed_cents.get(delivery.id, 0):  # type: ignore[arg-type]
            found.append(f"delivery {delivery.id}: settled {paid}, amount {delivery.amount_cents}")
    return found
