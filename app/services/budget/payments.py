"""Own-share payments: the only module that talks to Stripe.

Without HEBU_STRIPE_SECRET_KEY payments are off and own shares are invoiced by the
provider (recorded on each confirmed delivery). With it, the client prepays the own share
of the confirmed plan with a PaymentIntent; `payment_intent.succeeded` (verified webhook,
each event id handled once) credits the budget's ledger. Refunds return prepaid own share
the confirmed plan no longer needs (e.g. after a line was cancelled).
"""

from __future__ import annotations

from typing import Any

import stripe
from sqlmodel import Session, col, func, select

from app.config import Settings
from app.errors import AppError, Conflict, NotFound
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.audit import AuditAction
from app.models.budget import Budget
from app.models.ledger import EntryKind
from app.models.payment import Payment, PaymentStatus, WebhookEvent
from app.services import audit
from app.services.budget import ledger
from app.services.budget.frames import confirmed_version


class PaymentsDisabled(NotFound):
    default_text = lazy_gettext(
        "Online payment is not in use. The provider invoices your own share."
    )


class NothingToPay(Conflict):
    default_text = lazy_gettext("There is no own share to pay.")


class BadSignature(AppError):
    default_text = lazy_gettext("The webhook signature is not valid.")


def _client(settings: Settings) -> stripe.StripeClient:
    if not settings.payments_enabled:
        raise PaymentsDisabled()
    kwargs: dict[str, Any] = {}
    if settings.stripe_api_base:
        kwargs["base_addresses"] = {"api": settings.stripe_api_base}
    return stripe.StripeClient(settings.stripe_secret_key or "", **kwargs)


def paid_cents(session: Session, budget: Budget) -> int:
    """Own share prepaid online, net of refunds."""
    total = session.exec(
        select(func.coalesce(func.sum(Payment.amount_cents - Payment.refunded_cents), 0)).where(
            Payment.budget_id == budget.id,
            col(Payment.status).in_([PaymentStatus.succeeded, PaymentStatus.refunded]),
        )
    ).one()
    return int(total)


def own_share_due(session: Session, budget: Budget) -> int:
    """The confirmed plan's own share not yet paid (online or on provider invoices)."""
    plan = confirmed_version(session, budget)
    if plan is None:
        return 0
    return max(0, plan.own_share_cents - ledger.own_share_used(session, budget))


def start_payment(
    session: Session,
    settings: Settings,
    actor: Actor,
    budget: Budget,
    payment_method: str | None = None,
) -> tuple[Payment, str]:
    """A PaymentIntent for the own share due: (payment row, client secret for Stripe.js).

    With `payment_method` (created by Stripe.js) the intent is confirmed server-side."""
    client = _client(settings)
    amount = own_share_due(session, budget)
    plan = confirmed_version(session, budget)
    if amount <= 0 or plan is None:
        raise NothingToPay()
    params: dict[str, Any] = {
        "amount": amount,
        "currency": "eur",
        "metadata": {"budget_id": str(budget.id), "plan_version_id": str(plan.id)},
    }
    if payment_method:
        params.update(payment_method=payment_method, confirm=True)
    intent = client.payment_intents.create(
        params=params,  # type: ignore[arg-type]
        options={"idempotency_key": f"own-share:{budget.id}:{plan.id}:{amount}:{payment_method}"},
    )
    payment = session.exec(
        select(Payment).where(Payment.stripe_payment_intent_id == intent.id)
    ).first() or Payment(
        budget_id=budget.id,  # type: ignore[arg-type]
        plan_version_id=plan.id,  # type: ignore[arg-type]
        amount_cents=amount,
        stripe_payment_intent_id=intent.id,
        created_by_id=actor.user_id,
    )
    session.add(payment)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.create,
        "payment",
        subject_id=budget.client_id,
        record_type="payment",
        record_id=payment.id,
    )
    return payment, intent.client_secret or ""


def _claim_event(session: Session, event_id: str, event_type: str) -> WebhookEvent | None:
    """Store the event id; None when it was handled before (a replay)."""
    if session.exec(select(WebhookEvent.id).where(WebhookEvent.event_id == event_id)).first():
        return None
    return ledger.add_once(session, WebhookEvent(event_id=event_id, event_type=event_type))


def handle_webhook(session: Session, settings: Settings, payload: bytes, signature: str) -> str:
    """Verify and handle one Stripe event exactly once; returns what happened."""
    if not settings.stripe_webhook_secret:
        raise PaymentsDisabled()
    try:
        event = stripe.Webhook.construct_event(payload, signature, settings.stripe_webhook_secret)
    except (ValueError, stripe.SignatureVerificationError) as exc:
        raise BadSignature() from exc
    row = _claim_event(session, event.id, event.type)
    if row is None:
        return "duplicate"
    outcome = "ignored"
    if event.type in ("payment_intent.succeeded", "payment_intent.payment_failed"):
        intent_id = str(event.data.object["id"])
        outcome = _settle(session, settings, intent_id)
    row.outcome = outcome
    session.add(row)
    session.flush()
    return outcome


def _settle(session: Session, settings: Settings, intent_id: str) -> str:
    """Bring our payment in line with Stripe's PaymentIntent (order of events is irrelevant:
    we ask Stripe for the current state and post with an idempotency key)."""
    payment = session.exec(
        select(Payment).where(Payment.stripe_payment_intent_id == intent_id)
    ).first()
    if payment is None:
        return "unknown payment"
    intent = _client(settings).payment_intents.retrieve(intent_id)
    budget = session.get(Budget, payment.budget_id)
    assert budget is not None
    budget = ledger.lock_budget(session, budget)
    if intent.status == "succeeded" and intent.amount == payment.amount_cents:
        ledger.post(
            session,
            budget,
            EntryKind.own_share_payment,
            payment.amount_cents,
            f"payment:{payment.id}",
            note="paid online",
        )
        if payment.status == PaymentStatus.pending:
            payment.status = PaymentStatus.succeeded
        session.add(payment)
        return "posted"
    # A failed card leaves the intent open for another try; only cancellation ends it.
    if intent.status == "canceled" and payment.status == PaymentStatus.pending:
        payment.status = PaymentStatus.failed
        session.add(payment)
        return "failed"
    return "no change"


def refund_excess(session: Session, settings: Settings, budget: Budget) -> int:
    """Refund prepaid own share the confirmed plan no longer needs; returns cents refunded."""
    plan = confirmed_version(session, budget)
    needed = plan.own_share_cents if plan else 0
    excess = paid_cents(session, budget) - needed
    refunded = 0
    payments = session.exec(
        select(Payment)
        .where(Payment.budget_id == budget.id, col(Payment.status).in_(["succeeded", "refunded"]))
        .order_by(col(Payment.id).desc())
    ).all()
    for payment in payments:
        if excess <= 0:
            break
        amount = min(excess, payment.amount_cents - payment.refunded_cents)
        if amount <= 0:
            continue
        key = f"refund:{payment.id}:{payment.refunded_cents + amount}"
        _client(settings).refunds.create(
            params={"payment_intent": payment.stripe_payment_intent_id, "amount": amount},
            options={"idempotency_key": key},
        )
        ledger.post(session, budget, EntryKind.refund, -amount, key, note="own share refund")
        payment.refunded_cents += amount
        payment.status = PaymentStatus.refunded
        session.add(payment)
        excess -= amount
        refunded += amount
    session.flush()
    return refunded
