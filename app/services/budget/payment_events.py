"""Stripe's webhook events: each has one defined effect, the same under replay and reordering.

An event only says "look again": the effect comes from the PaymentIntent as Stripe reports it
now (read before any database write), so an old event arriving late changes nothing and a
replayed one finds its event id already handled. Per state of the intent:
- created, requires_payment_method / _confirmation / _action, processing: the payment stays
  open (`pending`), the provider's status recorded; no money moves.
- succeeded: what Stripe received is credited to the client's prepaid account once (key
  `payment:<id>`); prepaid money the plan no longer needs (a second tab's payment, an older
  plan's) is refunded at once through the outbox.
- canceled before success: the payment ends as `failed`. payment_failed leaves it open for
  another try (Stripe keeps the intent).
- charge.refunded (full or partial): the charge's refunded total is matched by refund entries;
  a refund made in Stripe's dashboard is posted from the prepaid account (if the money was
  already spent, `ledger verify` reports it and the own share is due again).
- charge.dispute.created: the disputed amount is withdrawn from the prepaid account (key
  `dispute:<id>`); charge.dispute.closed as won puts it back.
An event for a payment this database does not hold yet (its row not committed) is answered
`payments.PaymentNotYetKnown` (HTTP 503) and not stored, so Stripe's retry applies it later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import stripe
from sqlmodel import Session, col, select

from app.config import Settings
from app.models.budget import Budget
from app.models.ledger import EntryKind, LedgerEntry
from app.models.payment import Payment, PaymentStatus, WebhookEvent
from app.services.budget import ledger, payments

INTENT_EVENTS = (
    "payment_intent.created",
    "payment_intent.processing",
    "payment_intent.requires_action",
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
)
CHARGE_EVENTS = ("charge.refunded", "charge.dispute.created", "charge.dispute.closed")


@dataclass(frozen=True)
class Reported:
    """A PaymentIntent as Stripe reports it now."""

    intent_id: str
    status: str
    received_cents: int
    refunded_cents: int
    payment_id: int | None


def handle_webhook(session: Session, settings: Settings, payload: bytes, signature: str) -> str:
    """Verify and handle one Stripe event; returns what happened."""
    if not settings.stripe_webhook_secret:
        raise payments.PaymentsDisabled()
    try:
        event = stripe.Webhook.construct_event(payload, signature, settings.stripe_webhook_secret)
    except (ValueError, stripe.SignatureVerificationError) as exc:
        raise payments.BadSignature() from exc
    if session.exec(select(WebhookEvent.id).where(WebhookEvent.event_id == event.id)).first():
        return "duplicate"
    obj: dict[str, Any] = event.data.object.to_dict()
    outcome = "ignored"
    if event.type in INTENT_EVENTS + CHARGE_EVENTS:
        intent_id = str(obj["id"] if event.type in INTENT_EVENTS else obj.get("payment_intent"))
        reported = _read_back(settings, intent_id)  # before any write of ours
        payment = _payment_of(session, reported, intent_id)
        if payment is not None:
            outcome = _apply(session, settings, payment, reported, event.type, obj)
        elif reported is not None and reported.payment_id is not None:
            raise payments.PaymentNotYetKnown()  # ours, its row not committed yet: Stripe retries
        else:
            outcome = "unknown payment"  # not at Stripe, or not one of Hebu's
    row = ledger.add_once(session, WebhookEvent(event_id=event.id, event_type=event.type))
    if row is None:
        return "duplicate"  # a concurrent delivery of the same event won (and rolls us back)
    row.outcome = outcome
    session.add(row)
    session.flush()
    return outcome


def _read_back(settings: Settings, intent_id: str) -> Reported | None:
    stripe_client = payments.client(settings)
    try:
        intent = stripe_client.payment_intents.retrieve(intent_id)
    except stripe.InvalidRequestError:
        return None
    data = intent.to_dict()
    # Stripe always reports amount_received; localstripe does not: a success received it all.
    received = data.get("amount") if data.get("status") == "succeeded" else 0
    refunded = 0
    charge = data.get("latest_charge")
    if charge:
        charge_id = charge if isinstance(charge, str) else charge["id"]
        charge_data = stripe_client.charges.retrieve(charge_id).to_dict()
        refunded = int(charge_data.get("amount_refunded") or 0)
    payment_id = str((data.get("metadata") or {}).get("payment_id") or "")
    return Reported(
        intent_id=intent.id,
        status=str(intent.status),
        received_cents=int(data.get("amount_received", received) or 0),
        refunded_cents=refunded,
        payment_id=int(payment_id) if payment_id.isdigit() else None,
    )


def _payment_of(session: Session, reported: Reported | None, intent_id: str) -> Payment | None:
    if reported is None:
        return None
    found = session.exec(
        select(Payment).where(Payment.stripe_payment_intent_id == intent_id)
    ).first()
    if found is None and reported.payment_id is not None:
        found = session.get(Payment, reported.payment_id)  # its intent id not recorded yet
    return found


def _apply(
    session: Session,
    settings: Settings,
    payment: Payment,
    reported: Reported,
    event_type: str,
    obj: dict[str, Any],
) -> str:
    """Bring our payment and the prepaid account in line with what Stripe reports."""
    budget = ledger.lock_budget(session, session.get(Budget, payment.budget_id))  # type: ignore[arg-type]
    session.refresh(payment)
    if payment.stripe_payment_intent_id.startswith(payments.UNSENT):
        payment.stripe_payment_intent_id = reported.intent_id
    payment.provider_status = reported.status
    outcome = "no change"
    if reported.received_cents and reported.status == "succeeded":
        posted = ledger.post(
            session,
            budget,
            EntryKind.own_share_prepaid,
            reported.received_cents,
            f"payment:{payment.id}",
            note="paid online",
        )
        payment.received_cents = reported.received_cents
        if payment.status in (PaymentStatus.pending, PaymentStatus.failed):
            payment.status = PaymentStatus.succeeded
        if posted is not None:
            outcome = "posted"
    elif reported.status == "canceled" and payment.status == PaymentStatus.pending:
        payment.status = PaymentStatus.failed
        outcome = "failed"
    if reported.refunded_cents > payment.refunded_cents:
        payments.record_refund(session, budget, payment, reported.refunded_cents)
        payment.refund_sent_cents = max(payment.refund_sent_cents, reported.refunded_cents)
        outcome = "refunded"
    payment.reported_refunded_cents = reported.refunded_cents
    if event_type.startswith("charge.dispute."):
        outcome = _dispute(session, budget, payment, event_type, obj) or outcome
    session.add(payment)
    session.flush()
    if outcome == "posted" and payments.refundable_cents(session, budget):
        payments.refund_excess(session, settings, budget)  # paid twice or for an older plan
    return outcome


def _dispute(
    session: Session, budget: Budget, payment: Payment, event_type: str, obj: dict[str, Any]
) -> str | None:
    """A dispute withdraws its amount from the prepaid account; a won dispute returns it."""
    dispute_id = str(obj.get("id"))
    amount = min(int(obj.get("amount") or 0), payment.received_cents)
    if amount <= 0:
        return None
    won = event_type == "charge.dispute.closed" and obj.get("status") == "won"
    if event_type == "charge.dispute.closed" and not won:
        return None  # lost: the withdrawal stands
    key = f"dispute-won:{dispute_id}" if won else f"dispute:{dispute_id}"
    ledger.post(session, budget, EntryKind.payment_dispute, amount if won else -amount, key)
    payment.disputed_cents = 0 if won else amount
    payment.status = PaymentStatus.succeeded if won else PaymentStatus.disputed
    return "dispute won" if won else "disputed"


def verify(session: Session, settings: Settings | None = None) -> list[ledger.Discrepancy]:
    """Reconcile each payment with the own-share entries: with payments configured, against
    what Stripe reports now (a lost webhook, a refund made in Stripe's dashboard), else
    against what its webhooks reported; and no budget holds prepaid money its plan does not
    need (a payment made twice)."""
    live = settings is not None and settings.payments_enabled
    problems: list[ledger.Discrepancy] = []
    for payment in session.exec(select(Payment).order_by(col(Payment.id))).all():
        reported = None
        if live and not payment.stripe_payment_intent_id.startswith(payments.UNSENT):
            reported = _read_back(settings, payment.stripe_payment_intent_id)  # type: ignore[arg-type]
        problems += _payment_problems(session, payment, reported)
    for budget in session.exec(select(Budget).order_by(col(Budget.id))).all():
        if payments.refundable_cents(session, budget):
            problems.append(
                ledger.Discrepancy(budget.id, "prepaid own share the plan does not need")  # type: ignore[arg-type]
            )
    return problems


def _payment_problems(
    session: Session, payment: Payment, reported: Reported | None
) -> list[ledger.Discrepancy]:
    keyed = [
        entry
        for entry in session.exec(
            select(LedgerEntry).where(
                LedgerEntry.budget_id == payment.budget_id,
                col(LedgerEntry.kind).in_([EntryKind.own_share_prepaid, EntryKind.refund]),
            )
        ).all()
        if entry.idempotency_key.split(":")[1] == str(payment.id)
    ]
    credited = sum(e.amount_cents for e in keyed if e.kind == EntryKind.own_share_prepaid)
    refunded = -sum(e.amount_cents for e in keyed if e.kind == EntryKind.refund)
    received, provider_refunded = payment.received_cents, payment.reported_refunded_cents
    if reported is not None:
        received = reported.received_cents if reported.status == "succeeded" else 0
        provider_refunded = reported.refunded_cents
    found: list[str] = []
    if credited != received:
        found.append(f"the provider received {received}, own share credited {credited}")
    if refunded != payment.refunded_cents:
        found.append(f"refunds posted {refunded}, recorded {payment.refunded_cents}")
    if payment.refund_sent_cents < payment.refunded_cents:
        found.append("a refund posted is not yet sent to the provider")
    elif provider_refunded != refunded:
        found.append(f"the provider refunded {provider_refunded}, refunds posted {refunded}")
    return [ledger.Discrepancy(payment.budget_id, f"payment {payment.id}: {p}") for p in found]
