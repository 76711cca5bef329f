"""Settlements: what the organiser pays each provider for a month, one line per delivery.

Lines are derived from ledger entries (never from delivery rows): each ledger entry of a
delivery is settled at most once (`settlement_entry`, keyed by the entry), each line belongs
to exactly one delivery. An open settlement is re-derived whenever it is read; once approved,
nothing in it changes, and a later entry of its deliveries goes into the next settlement of
the provider as an adjustment line.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import Record, cents_column, enum_column


class SettlementStatus(StrEnum):
    open = "open"
    approved = "approved"
    sent = "sent"
    paid = "paid"


class Settlement(Record, table=True):
    __table_args__ = (UniqueConstraint("organiser_id", "provider_id", "period_start"),)

    organiser_id: int = Field(foreign_key="organiser.id", index=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    period_start: date  # the first day of the month settled
    status: SettlementStatus = Field(default=SettlementStatus.open, sa_type=enum_column(20))
    # ISO 11649 creditor reference (RF...), the payment's structured remittance information.
    reference: str = Field(default="", max_length=25, index=True)
    approved_by_id: int | None = Field(default=None, foreign_key="user.id")
    approved_at: datetime | None = None
    # The digest of the lines as approved (`services/budget/settlement_seal.py`).
    approved_digest: str | None = Field(default=None, max_length=64)
    sent_by_id: int | None = Field(default=None, foreign_key="user.id")
    sent_at: datetime | None = None
    paid_by_id: int | None = Field(default=None, foreign_key="user.id")
    paid_at: datetime | None = None


class SettlementLine(Record, table=True):
    """One delivery's entries settled in one settlement (an adjustment when they were posted
    after the delivery's own month was approved)."""

    __tablename__ = "settlement_line"

    settlement_id: int = Field(foreign_key="settlement.id", index=True)
    delivery_id: int = Field(foreign_key="delivery.id", index=True)
    client_ref: str = Field(max_length=20)  # pseudonymous: no name leaves with the file
    service: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    delivered_on: date
    units: int
    unit_price_cents: int = Field(sa_type=cents_column())
    # What the organiser pays, and the client's part the provider invoices (signed: a
    # reversal is negative).
    budget_cents: int = Field(sa_type=cents_column())
    own_share_cents: int = Field(sa_type=cents_column())
    adjustment: bool = False


class SettlementEntry(SQLModel, table=True):
    """Which line settled a ledger entry: the primary key makes it at most one."""

    __tablename__ = "settlement_entry"

    ledger_entry_id: int = Field(foreign_key="ledger_entry.id", primary_key=True)
    settlement_line_id: int = Field(foreign_key="settlement_line.id", index=True)
