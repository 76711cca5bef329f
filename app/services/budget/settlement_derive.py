"""Deriving settlements from the ledger: every ledger entry of a delivery that no settlement
line holds yet goes into a line of its delivery's month (or, when that month's settlement is
approved, the provider's next open one, as an adjustment). Done in bulk: a few queries per
refresh, not several per delivery; a refresh that finds nothing new writes nothing."""

from __future__ import annotations

import hmac
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from app.config import get_settings
from app.models.budget import Budget, PlanLine
from app.models.ledger import Delivery, EntryKind, LedgerEntry
from app.models.organiser import Organiser
from app.models.settlement import Settlement, SettlementEntry, SettlementLine, SettlementStatus
from app.services.budget.settlement_files import creditor_reference
from app.transactions import write_lock


def month_bounds(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def client_ref(client_id: int) -> str:
    """A pseudonym for the client that stays the same across settlements (keyed, so it can't
    be turned back into the client without the server's key)."""
    key = get_settings().secret_key.encode()
    digest = hmac.new(key, f"settlement-client:{client_id}".encode(), "sha256").hexdigest()
    return "AS-" + digest[:10].upper()


def _lock(session: Session, organiser_ids: list[int]) -> None:
    """Serialise derivations per organiser (PostgreSQL: the organisers' rows; SQLite: the
    write lock, taken before the derivation reads what to settle)."""
    write_lock(session)
    if organiser_ids:
        session.exec(
            select(Organiser.id).where(col(Organiser.id).in_(organiser_ids)).with_for_update()
        ).all()


def _month(delivery: Delivery) -> date:
    """An entry belongs to the month its delivery was delivered in."""
    return delivery.delivered_on.replace(day=1)


CHUNK = 500


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


class _Derivation:
    """One refresh's lookups, read in bulk: the target settlement per (organiser, provider,
    month), the plan lines and the deliveries' existing settlement lines. Settling a thousand
    deliveries then costs a few queries, not several per delivery."""

    def __init__(self, session: Session, rows: list[tuple[Delivery, Budget]]) -> None:
        self.session = session
        deliveries = [delivery for delivery, _budget in rows]
        self.targets: dict[tuple[int, int, date], tuple[Settlement, bool]] = {}
        self.known: dict[tuple[int, int, date], Settlement] = {}
        self.created: list[Settlement] = []
        organisers = sorted({budget.organiser_id for _delivery, budget in rows})
        providers = sorted({delivery.provider_id for delivery in deliveries})
        for chunk in _chunks(providers):
            for s in session.exec(
                select(Settlement).where(
                    col(Settlement.organiser_id).in_(organisers),
                    col(Settlement.provider_id).in_(chunk),
                )
            ).all():
                self.known[(s.organiser_id, s.provider_id, s.period_start)] = s
        self.pending: list[tuple[SettlementLine, list[LedgerEntry]]] = []
        self.plan_lines: dict[int, PlanLine] = {}
        for chunk in _chunks(sorted({d.plan_line_id for d in deliveries})):
            for pl in session.exec(select(PlanLine).where(col(PlanLine.id).in_(chunk))).all():
                assert pl.id is not None
                self.plan_lines[pl.id] = pl
        self.lines: dict[int, list[SettlementLine]] = defaultdict(list)
        for chunk in _chunks(sorted(d.id for d in deliveries if d.id is not None)):
            found = session.exec(
                select(SettlementLine).where(col(SettlementLine.delivery_id).in_(chunk))
            ).all()
            for line in found:
                self.lines[line.delivery_id].append(line)

    def target(self, organiser_id: int, provider_id: int, month: date) -> tuple[Settlement, bool]:
        """The settlement an entry of `month` goes into: that month's while it is open, else
        the next open one (an adjustment), created when missing."""
        key = (organiser_id, provider_id, month)
        if key not in self.targets:
            period, adjustment = month, False
            while True:
                found = self.known.get((organiser_id, provider_id, period))
                if found is None:  # made now, numbered in `number_new`
                    found = Settlement(
                        organiser_id=organiser_id, provider_id=provider_id, period_start=period
                    )
                    self.session.add(found)
                    self.created.append(found)
                    self.known[(organiser_id, provider_id, period)] = found
                if found.status == SettlementStatus.open:
                    break
                period, adjustment = month_bounds(period.year, period.month)[1], True
            self.targets[key] = (found, adjustment)
        return self.targets[key]

    def number_new(self) -> None:
        """Give the settlements made in this refresh their ids and creditor references."""
        if self.created:
            self.session.flush()
            for made in self.created:
                assert made.id is not None
                made.reference = creditor_reference(made.id)
                self.session.add(made)

    def settle(self, delivery: Delivery, budget: Budget, entries: list[LedgerEntry]) -> None:
        """Add the delivery's new entries to its line in the target settlement (made when
        missing); `link` ties the entries to their lines once the lines have ids."""
        target, adjustment = self.target(
            budget.organiser_id, delivery.provider_id, _month(delivery)
        )
        assert target.id is not None and delivery.id is not None
        existing = self.lines[delivery.id]
        line = next((x for x in existing if x.settlement_id == target.id), None)
        if line is None:
            plan_line = self.plan_lines.get(delivery.plan_line_id)
            line = SettlementLine(
                settlement_id=target.id,
                delivery_id=delivery.id,
                client_ref=client_ref(budget.client_id),
                service=dict(plan_line.title) if plan_line else {},
                delivered_on=delivery.delivered_on,
                units=0,
                unit_price_cents=plan_line.unit_price_cents if plan_line else 0,
                budget_cents=0,
                own_share_cents=0,
                adjustment=adjustment,
            )
            existing.append(line)
        for entry in entries:
            if entry.affects_balance:
                line.budget_cents -= entry.amount_cents  # a debit is negative in the ledger
            else:
                line.own_share_cents += entry.amount_cents
        # What the delivery's earlier lines (in other settlements) added up to.
        before = sum(
            x.budget_cents + x.own_share_cents for x in existing if x.settlement_id != target.id
        )
        total = line.budget_cents + line.own_share_cents
        if not before:
            line.units = delivery.units if total else 0
        else:  # a correction of a delivery already settled: all units back, or none
            line.units = -delivery.units if total == -before else 0
        self.session.add(line)
        self.pending.append((line, entries))

    def link(self) -> None:
        """Tie each settled ledger entry to its line (one bulk insert once lines have ids)."""
        self.session.flush()
        rows = [
            {"ledger_entry_id": entry.id, "settlement_line_id": line.id}
            for line, entries in self.pending
            for entry in entries
        ]
        if rows:
            self.session.execute(insert(SettlementEntry), rows)


def _unsettled(session: Session, organiser_ids: list[int]) -> list[Any]:
    """Ledger entries of deliveries that no settlement line holds yet, with their rows."""
    settled = select(SettlementEntry.ledger_entry_id)
    return list(
        session.exec(
            select(LedgerEntry, Delivery, Budget)
            .join(Delivery, col(Delivery.id) == LedgerEntry.delivery_id)
            .join(Budget, col(Budget.id) == LedgerEntry.budget_id)
            .where(
                col(Budget.organiser_id).in_(organiser_ids),
                LedgerEntry.kind != EntryKind.allocation,
                col(LedgerEntry.id).not_in(settled),
            )
            .order_by(col(LedgerEntry.id))
        ).all()
    )


def refresh(session: Session, organiser_ids: list[int]) -> int:
    """Settle every ledger entry of a delivery not yet in a settlement: the number settled.
    A read that finds nothing new writes nothing and takes no lock."""
    if not organiser_ids or not _unsettled(session, organiser_ids):
        return 0
    _lock(session, organiser_ids)
    rows = _unsettled(session, organiser_ids)  # again, under the lock
    by_delivery: dict[int, list[LedgerEntry]] = defaultdict(list)
    found: dict[int, tuple[Delivery, Budget]] = {}
    for entry, delivery, budget in rows:
        assert delivery.id is not None
        by_delivery[delivery.id].append(entry)
        found[delivery.id] = (delivery, budget)
    derivation = _Derivation(session, list(found.values()))
    for delivery, budget in found.values():  # every target first, before any line is made
        derivation.target(budget.organiser_id, delivery.provider_id, _month(delivery))
    derivation.number_new()
    for delivery_id, entries in by_delivery.items():
        delivery, budget = found[delivery_id]
        derivation.settle(delivery, budget, entries)
    derivation.link()
    return len(rows)
