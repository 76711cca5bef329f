"""Own-share payments (Stripe PaymentIntents) and the webhook events already handled."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field

from app.models.base import Record, cents_column, enum_column, utcnow


class PaymentStatus(StrEnum):
    """Our side of a payment, following what the provider reports (`provider_status`)."""

    pending = "pending"  # open: created, waiting for the card, requires action, processing
    succeeded = "succeeded"
    failed = "failed"  # canceled (or replaced by a newer payment) before it succeeded
    refunded = "refunded"  # partly or wholly; refunded_cents tells how much
    disputed = "disputed"  # the card holder disputed it: the money is withdrawn


class Payment(Record, table=True):
    budget_id: int = Field(foreign_key="budget.id", index=True)
    plan_version_id: int = Field(foreign_key="plan_version.id")
    amount_cents: int = Field(gt=0, sa_type=cents_column())
    refunded_cents: int = Field(default=0, ge=0, sa_type=cents_column())
    currency: str = Field(default="EUR", max_length=3)
    status: PaymentStatus = Field(default=PaymentStatus.pending, sa_type=enum_column(20))
    stripe_payment_intent_id: str = Field(max_length=255, unique=True)
    created_by_id: int = Field(foreign_key="user.id")
    # What the provider last reported (the webhook reads it back from Stripe), for
    # `ledger verify` to reconcile with the own-share entries.
    provider_status: str = Field(default="", max_length=40)
    received_cents: int = Field(default=0, ge=0, sa_type=cents_column())
    reported_refunded_cents: int = Field(default=0, ge=0, sa_type=cents_column())
    disputed_cents: int = Field(default=0, ge=0, sa_type=cents_column())
    # Refunds are posted first (refunded_cents) and sent to Stripe after the commit: an
    # outbox. refund_sent_cents is what Stripe has accepted; the difference is still to send.
    refund_sent_cents: int = Field(default=0, ge=0, sa_type=cents_column())


class WebhookEvent(Record, table=True):
    """Every Stripe event id handled once: a replay finds its row and does nothing."""

    __tablename__ = "webhook_event"

    provider: str = Field(default="stripe", max_length=20)
    event_id: str = Field(max_length=255, unique=True)
    event_type: str = Field(max_length=100)
    received_at: datetime = Field(default_factory=utcnow)
    outcome: str = Field(default="", max_length=100)
