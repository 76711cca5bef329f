"""Monthly settlement per provider for the organiser's finance: confirmed deliveries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from app.models.actor import Actor
from app.models.audit import AuditAction, AuditPurpose
from app.models.ledger import Delivery, DeliveryStatus
from app.models.provider import Provider
from app.repositories.budget import readable_organiser_deliveries
from app.services import audit, exports


@dataclass(frozen=True)
class SettlementRow:
    provider_id: int
    provider_name: str
    business_id: str
    deliveries: int
    units: int
    budget_cents: int
    own_share_cents: int

    @property
    def total_cents(self) -> int:
        return self.budget_cents + self.own_share_cents


def month_bounds(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def monthly(session: Session, actor: Actor, year: int, month: int) -> list[SettlementRow]:
    """Confirmed (or auto-accepted) deliveries of the month for the admin's organisers."""
    start, end = month_bounds(year, month)
    done = session.exec(
        readable_organiser_deliveries(actor).where(
            col(Delivery.status).in_([DeliveryStatus.confirmed, DeliveryStatus.auto_accepted]),
            Delivery.delivered_on >= start,
            Delivery.delivered_on < end,
        )
    ).all()
    provider_ids = {d.provider_id for d in done}
    providers = {
        p.id: p for p in session.exec(select(Provider).where(col(Provider.id).in_(provider_ids)))
    }
    totals: dict[int, list[int]] = {}
    for delivery in done:
        t = totals.setdefault(delivery.provider_id, [0, 0, 0, 0])
        t[0] += 1
        t[1] += delivery.units
        t[2] += delivery.budget_cents
        t[3] += delivery.own_share_cents
    audit.record(
        session,
        actor,
        AuditAction.export,
        "settlement",
        subject_id=None,
        purpose=AuditPurpose.report,
        details={"month": f"{year}-{month:02d}"},
    )
    return sorted(
        (
            SettlementRow(pid, providers[pid].name, providers[pid].business_id, *t)
            for pid, t in totals.items()
        ),
        key=lambda r: r.provider_name,
    )


def to_csv(rows: list[SettlementRow], year: int, month: int) -> str:
    header = [
        "month",
        "provider",
        "business_id",
        "deliveries",
        "units",
        "budget_eur",
        "own_share_eur",
        "total_eur",
    ]
    body = [
        [
            f"{year}-{month:02d}",
            r.provider_name,
            r.business_id,
            r.deliveries,
            r.units,
            _eur(r.budget_cents),
            _eur(r.own_share_cents),
            _eur(r.total_cents),
        ]
        for r in rows
    ]
    return exports.to_csv([header, *body], delimiter=";")


def _eur(cents: int) -> Decimal:
    """Euros with two decimals, as a number (a refund's -12.50 stays a number in the file)."""
    return Decimal(cents).scaleb(-2)
