"""Settlement per provider and month, derived from the ledger; its states and who moved them.

One source of truth: a settlement line is made of ledger entries (`settlement_entry` links
each entry to at most one line), never recomputed from delivery rows, and each line belongs to
exactly one delivery. An entry belongs to the month its delivery was delivered in
(`delivered_on`), the same day the delivery date rules check. While a settlement is open it
takes in every new entry of its month whenever it is read (`refresh`); approving it (the
organiser admin) freezes it: nothing in it changes any more, and a later entry of one of its
deliveries (a reversal, a late-confirmed delivery) goes into the provider's next settlement
that is still open, as an adjustment line. open -> approved -> sent -> paid, each step with
who and when, audited.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.errors import Conflict, NotFound
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.audit import AuditAction, AuditPurpose
from app.models.base import utcnow
from app.models.budget import Budget
from app.models.ledger import Delivery, LedgerEntry
from app.models.organiser import Organiser
from app.models.provider import Provider
from app.models.settlement import Settlement, SettlementEntry, SettlementLine, SettlementStatus
from app.models.user import Role
from app.repositories.budget import readable_provider_settlements, readable_settlements
from app.services import audit
from app.services.budget import ledger, settlement_files
from app.services.budget.settlement_derive import client_ref, month_bounds, refresh
from app.services.budget.settlement_files import SettlementRow, to_csv
from app.services.budget.settlement_seal import broken_seals, seal

__all__ = ["SettlementRow", "client_ref", "month_bounds", "refresh", "to_csv"]

NEXT = {
    SettlementStatus.open: SettlementStatus.approved,
    SettlementStatus.approved: SettlementStatus.sent,
    SettlementStatus.sent: SettlementStatus.paid,
}


MOVED = lazy_gettext("This settlement has already moved on. Reload the page.")
CHANGED = lazy_gettext(
    "New deliveries were added to this settlement after you opened it. "
    "Check the lines and approve again."
)


class StaleSettlement(Conflict):
    """The settlement is not what the admin saw: it has moved on (MOVED), or new lines came in
    (CHANGED)."""

    default_text = MOVED


@dataclass(frozen=True)
class Detail:
    settlement: Settlement
    provider: Provider
    lines: list[SettlementLine]

    @property
    def budget_cents(self) -> int:
        return sum(line.budget_cents for line in self.lines)

    @property
    def own_share_cents(self) -> int:
        return sum(line.own_share_cents for line in self.lines)

    @property
    def total_cents(self) -> int:
        return self.budget_cents + self.own_share_cents


def _audit(
    session: Session, actor: Actor, action: AuditAction, settlement: Settlement, **details: object
) -> None:
    """Who read, moved or exported which settlement."""
    audit.record(
        session,
        actor,
        action,
        "settlement",
        record_type="settlement",
        record_id=settlement.id,
        purpose=AuditPurpose.admin,
        details=details or None,
    )


def _detail(session: Session, settlement: Settlement) -> Detail:
    provider = session.get(Provider, settlement.provider_id)
    assert provider is not None
    lines = session.exec(
        select(SettlementLine)
        .where(SettlementLine.settlement_id == settlement.id)
        .order_by(col(SettlementLine.delivered_on), col(SettlementLine.id))
    ).all()
    return Detail(settlement, provider, list(lines))


def month_details(session: Session, actor: Actor, year: int, month: int) -> list[Detail]:
    """The admin's settlements of the month (derived first), by provider name."""
    refresh(session, sorted(actor.organiser_ids(Role.admin)))
    start, _end = month_bounds(year, month)
    found = session.exec(readable_settlements(actor).where(Settlement.period_start == start))
    details = [_detail(session, s) for s in found.all()]
    audit.record(
        session,
        actor,
        AuditAction.export,
        "settlement",
        purpose=AuditPurpose.report,
        details={"month": f"{year}-{month:02d}"},
    )
    return sorted(details, key=lambda d: (d.provider.name, d.settlement.id or 0))


def monthly(session: Session, actor: Actor, year: int, month: int) -> list[SettlementRow]:
    """The month's summary: one row per provider (several organisers' settlements add up)."""
    details = month_details(session, actor, year, month)
    by_provider: dict[int, list[Detail]] = defaultdict(list)
    for detail in details:
        by_provider[detail.settlement.provider_id].append(detail)
    return [
        SettlementRow(
            provider_id=pid,
            provider_name=group[0].provider.name,
            business_id=group[0].provider.business_id,
            deliveries=len({line.delivery_id for d in group for line in d.lines}),
            units=sum(line.units for d in group for line in d.lines),
            budget_cents=sum(d.budget_cents for d in group),
            own_share_cents=sum(d.own_share_cents for d in group),
        )
        for pid, group in by_provider.items()
    ]


def detail(session: Session, actor: Actor, settlement_id: int) -> Detail:
    """One of the admin's settlements, taking in new entries while it is open."""
    settlement = session.exec(
        readable_settlements(actor).where(Settlement.id == settlement_id)
    ).first()
    if settlement is None:
        raise NotFound()
    if settlement.status == SettlementStatus.open:
        refresh(session, [settlement.organiser_id])
        session.refresh(settlement)
    _audit(session, actor, AuditAction.read, settlement)
    return _detail(session, settlement)


def advance(
    session: Session,
    actor: Actor,
    settlement_id: int,
    to: SettlementStatus,
    seen_total_cents: int | None = None,
) -> Settlement:
    """Move a settlement one step on (compare-and-set on its status, in this transaction).
    Approving checks that the lines are still what the admin saw (`seen_total_cents`)."""
    current = detail(session, actor, settlement_id)
    settlement = current.settlement
    if NEXT.get(settlement.status) != to:
        raise StaleSettlement()
    if to == SettlementStatus.approved and seen_total_cents != current.total_cents:
        raise StaleSettlement(CHANGED)
    now = utcnow()
    sealed = (
        {"approved_digest": seal(session, settlement_id)} if to == SettlementStatus.approved else {}
    )
    moved = session.execute(
        update(Settlement)
        .where(col(Settlement.id) == settlement_id, col(Settlement.status) == settlement.status)
        .values(status=to, **{f"{to.value}_by_id": actor.user_id, f"{to.value}_at": now}, **sealed)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleSettlement()
    session.refresh(settlement)
    _audit(
        session, actor, AuditAction.update, settlement, status=to.value, total=current.total_cents
    )
    return settlement


def for_provider(session: Session, actor: Actor) -> list[Detail]:
    """The actor's providers' settlements, newest month first (derived before)."""
    budgets_of = (
        select(Budget.organiser_id)
        .join(Delivery, col(Delivery.budget_id) == col(Budget.id))
        .where(col(Delivery.provider_id).in_(sorted(actor.provider_ids())))
        .distinct()
    )
    ids = sorted(session.exec(budgets_of).all())
    refresh(session, ids)
    found = session.exec(
        readable_provider_settlements(actor).order_by(
            col(Settlement.period_start).desc(), col(Settlement.id).desc()
        )
    ).all()
    return [_detail(session, s) for s in found]


def bank_file(session: Session, actor: Actor, settlement_id: int, execute_on: date) -> bytes:
    """The pain.001 credit transfer of an approved (or sent) settlement, audited."""
    found = detail(session, actor, settlement_id)
    if found.settlement.status == SettlementStatus.open:
        raise settlement_files.NoBankFile()
    organiser = session.get(Organiser, found.settlement.organiser_id)
    assert organiser is not None
    body = settlement_files.pain001([found], organiser, execute_on, utcnow())
    _audit(session, actor, AuditAction.export, found.settlement, file="pain.001")
    return body


def verify(session: Session) -> list[ledger.Discrepancy]:
    """Reconcile settlements with the ledger: each line adds up to exactly its entries, all of
    its own delivery, and no line of an approved settlement changed after the approval (its
    `updated_at`, and the seal taken when it was approved)."""
    problems: list[ledger.Discrepancy] = []
    for line, frozen_at in session.exec(
        select(SettlementLine, Settlement.approved_at).join(
            Settlement, col(Settlement.id) == SettlementLine.settlement_id
        )
    ).all():
        entries = session.exec(
            select(LedgerEntry)
            .join(SettlementEntry, col(SettlementEntry.ledger_entry_id) == LedgerEntry.id)
            .where(SettlementEntry.settlement_line_id == line.id)
        ).all()
        budget_id = entries[0].budget_id if entries else 0
        paid = -sum(e.amount_cents for e in entries if e.affects_balance)
        own = sum(e.amount_cents for e in entries if not e.affects_balance)
        if any(e.delivery_id != line.delivery_id for e in entries) or not entries:
            problems.append(ledger.Discrepancy(budget_id, f"settlement line {line.id} strays"))
        if (paid, own) != (line.budget_cents, line.own_share_cents):
            problems.append(ledger.Discrepancy(budget_id, f"settlement line {line.id} differs"))
        if frozen_at is not None and _as_utc(line.updated_at) > _as_utc(frozen_at):
            problems.append(
                ledger.Discrepancy(budget_id, f"settlement line {line.id} changed after approval")
            )
    problems.extend(ledger.Discrepancy(0, problem) for _sid, problem in broken_seals(session))
    return problems


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
