"""Deliveries reported by providers and the append-only ledger."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field

from app.models.base import Record, cents_column, enum_column, utcnow


class DeliveryStatus(StrEnum):
    reported = "reported"
    confirmed = "confirmed"
    auto_accepted = "auto_accepted"
    disputed = "disputed"  # the client says it is not right: the provider answers
    corrected = "corrected"  # replaced by a corrected report (see DeliveryEvent.related_id)
    withdrawn = "withdrawn"  # the provider took it back: nothing is paid
    contested = "contested"  # the provider stands by it: the case worker decides
    rejected = "rejected"  # the case worker decided nothing is paid


class DisputeReason(StrEnum):
    not_right = "not_right"
    not_delivered = "not_delivered"
    wrong_units = "wrong_units"


class DisputeOutcome(StrEnum):
    """What the case worker decides of a contested delivery."""

    accept = "accept"  # as reported
    reduce = "reduce"  # fewer units
    reject = "reject"  # nothing is paid


class DeliveryAction(StrEnum):
    disputed = "disputed"
    corrected = "corrected"  # this delivery was replaced by `related_id`
    replaces = "replaces"  # this delivery is the corrected report of `related_id`
    withdrawn = "withdrawn"
    contested = "contested"
    accepted = "accepted"  # the case worker accepted it as reported (posted)
    reduced = "reduced"  # the case worker accepted fewer units (`related_id` posted)
    rejected = "rejected"
    confirmed = "confirmed"
    auto_accepted = "auto_accepted"
    reversed = "reversed"  # its payment was reversed (a dispute after it was paid)


class EntryKind(StrEnum):
    allocation = "allocation"  # the frame (or a change of it) credited to the budget
    delivery_debit = "delivery_debit"  # the budget's part of a confirmed delivery
    own_share_payment = "own_share_payment"  # the client's part of a delivery
    correction = "correction"
    # The client's prepaid account (own share paid online), apart from the budget's money:
    own_share_prepaid = "own_share_prepaid"  # a payment the provider reported succeeded (+)
    own_share_drawn = "own_share_drawn"  # a delivery's own part paid from the prepaid (-)
    refund = "refund"  # prepaid money returned to the client (-)
    payment_dispute = "payment_dispute"  # a disputed payment withdrawn by the provider (-)


class Delivery(Record, table=True):
    budget_id: int = Field(foreign_key="budget.id", index=True)
    plan_line_id: int = Field(foreign_key="plan_line.id", index=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    delivered_on: date
    units: int = Field(gt=0)
    amount_cents: int = Field(ge=0, sa_type=cents_column())
    note: str = Field(default="", max_length=2000)
    status: DeliveryStatus = Field(default=DeliveryStatus.reported, sa_type=enum_column(20))
    reported_by_id: int = Field(foreign_key="user.id")
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = None
    dispute_reason: str = Field(default="", max_length=2000)
    # Filled when confirmed: the budget's part and the client's own part.
    budget_cents: int = Field(default=0, ge=0, sa_type=cents_column())
    own_share_cents: int = Field(default=0, ge=0, sa_type=cents_column())


class DeliveryEvent(Record, table=True):
    """Who did what to a delivery, when and why: append-only, shown to the client, the
    provider and the case worker."""

    __tablename__ = "delivery_event"

    delivery_id: int = Field(foreign_key="delivery.id", index=True)
    budget_id: int = Field(foreign_key="budget.id", index=True)
    action: DeliveryAction = Field(sa_type=enum_column(20))
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    on_behalf_of_id: int | None = Field(default=None, foreign_key="user.id")
    reason: DisputeReason | None = Field(default=None, sa_type=enum_column(20))
    note: str = Field(default="", max_length=2000)
    units: int | None = None
    related_id: int | None = Field(default=None, foreign_key="delivery.id")
    occurred_at: datetime = Field(default_factory=utcnow)


class LedgerEntry(Record, table=True):
    """Append-only: never updated or deleted; the balance is the sum of amounts."""

    __tablename__ = "ledger_entry"

    budget_id: int = Field(foreign_key="budget.id", index=True)
    kind: EntryKind = Field(sa_type=enum_column(30))
    # Signed: allocations credit (+), delivery debits (-); own-share entries record the
    # client's money and do not change the budget's balance.
    amount_cents: int = Field(sa_type=cents_column())
    affects_balance: bool = Field(default=True)
    idempotency_key: str = Field(max_length=120, unique=True)
    delivery_id: int | None = Field(default=None, foreign_key="delivery.id", index=True)
    line_key: str | None = Field(default=None, max_length=32)
    category_id: int | None = Field(default=None, foreign_key="category.id")
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    note: str = Field(default="", max_length=500)
    posted_at: datetime = Field(default_factory=utcnow)
