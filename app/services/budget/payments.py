"""Own-share payments: the only module (with `payment_events`) that talks to Stripe.

Without HEBU_STRIPE_SECRET_KEY payments are off and own shares are invoiced by the
provider (recorded on each confirmed delivery). With it, the client prepays the own share
of the confirmed plan with a PaymentIntent. The money received goes to the client's prepaid
account in the ledger (`ledger.PREPAID`), never to the budget's balance: a delivery's own
part draws from it, and only what is left there can be refunded.

No Stripe call runs while this process holds a database write: every call is two-step.
- Paying: `open_payment` records the payment (one open payment per plan version and amount:
  a second tab gets the same one) and commits; `send_payment` then creates its PaymentIntent
  (idempotency key `payment:<id>`, the payment's id in the metadata) and records its id.
- Refunding: `refund_excess` posts the refund in the ledger and raises the payment's
  `refunded_cents` (the outbox); once that has committed, `send_refunds` sends the difference
  to Stripe (idempotency key `refund:<id>:<total>`) and records it as sent. A send that fails
  is retried by the `payments_outbox` job; a rolled-back refund is never sent.
"""

from __future__ import annotations

import contextlib
from typing import Any
from uuid import uuid4

import stripe
from sqlalchemy import text
from sqlmodel import Session, col, select

from app.config import Settings
from app.errors import AppError, Conflict, NotFound
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.audit import AuditAction
from app.models.budget import Budget
from app.models.ledger import EntryKind
from app.models.payment import Payment, PaymentStatus
from app.repositories.own_work import after_transaction
from app.services import audit
from app.services.budget import ledger
from app.services.budget.frames import confirmed_version

UNSENT = "unsent:"  # the intent id of a payment whose PaymentIntent is not yet recorded
ONLINE = (EntryKind.own_share_prepaid, EntryKind.refund, EntryKind.payment_dispute)


class PaymentsDisabled(NotFound):
    default_text = lazy_gettext(
        "Online payment is not in use. The provider invoices your own share."
    )


class NothingToPay(Conflict):
    default_text = lazy_gettext("There is no own share to pay.")


class BadSignature(AppError):
    default_text = lazy_gettext("The webhook signature is not valid.")


class PaymentNotYetKnown(AppError):
    """A webhook for a payment whose row is not committed yet: answered 503, not stored."""

    default_text = lazy_gettext("The payment is not known yet. Try again later.")


def client(settings: Settings) -> stripe.StripeClient:
    if not settings.payments_enabled:
        raise PaymentsDisabled()
    kwargs: dict[str, Any] = {}
    if settings.stripe_api_base:
        kwargs["base_addresses"] = {"api": settings.stripe_api_base}
    return stripe.StripeClient(settings.stripe_secret_key or "", **kwargs)


def no_write_open(session: Session) -> None:
    """Refuse to call the provider while this session holds a write (SQLite: the write lock;
    PostgreSQL: a transaction id assigned, which only a write does): the call's effect must
    not depend on a later commit."""
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("a provider call with unflushed changes in the session")
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        wrote = bool(getattr(conn.connection.dbapi_connection, "in_transaction", False))
    else:
        wrote = conn.execute(text("SELECT pg_current_xact_id_if_assigned()")).scalar() is not None
    if wrote:
        raise RuntimeError("a provider call inside an open write transaction")


def paid_cents(session: Session, budget: Budget) -> int:
    """Own share prepaid online, net of refunds and disputes."""
    return ledger.sum_of(session, budget, ONLINE)


def prepaid_left(session: Session, budget: Budget) -> int:
    """Own share prepaid online that deliveries have not used (the only refundable money)."""
    return ledger.prepaid_balance(session, budget)


def own_share_due(session: Session, budget: Budget) -> int:
    """The confirmed plan's own share not yet paid (online or on provider invoices)."""
    plan = confirmed_version(session, budget)
    if plan is None:
        return 0
    return max(0, plan.own_share_cents - ledger.own_share_used(session, budget))


def open_payment(session: Session, settings: Settings, actor: Actor, budget: Budget) -> Payment:
    """Step one of paying: the payment for the own share due, under the budget's lock. The
    open payment for this plan version and amount is reused (two tabs pay one payment);
    open payments for another version or amount are ended and cancelled at Stripe."""
    client(settings)  # refuses when payments are off
    budget = ledger.lock_budget(session, budget)
    amount = own_share_due(session, budget)
    plan = confirmed_version(session, budget)
    if amount <= 0 or plan is None:
        raise NothingToPay()
    open_ = session.exec(
        select(Payment).where(
            Payment.budget_id == budget.id, Payment.status == PaymentStatus.pending
        )
    ).all()
    for payment in open_:
        if (payment.plan_version_id, payment.amount_cents) == (plan.id, amount):
            return payment
    for payment in open_:
        payment.status = PaymentStatus.failed
        payment.provider_status = "replaced"
        session.add(payment)
        if not payment.stripe_payment_intent_id.startswith(UNSENT):
            intent_id = payment.stripe_payment_intent_id
            after_transaction(session, lambda _own, i=intent_id: _cancel(settings, i))
    payment = Payment(
        budget_id=budget.id,  # type: ignore[arg-type]
        plan_version_id=plan.id,  # type: ignore[arg-type]
        amount_cents=amount,
        stripe_payment_intent_id=UNSENT + uuid4().hex,
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
    return payment


def _cancel(settings: Settings, intent_id: str) -> None:
    """Cancel a replaced intent; one that already succeeded or is processing stays, and its
    webhook credits it (and refunds what the plan does not need)."""
    with contextlib.suppress(stripe.StripeError):
        client(settings).payment_intents.cancel(intent_id)


def payment_of(session: Session, settings: Settings, budget: Budget, payment_id: int) -> Payment:
    """The budget's payment (another budget's is "not found")."""
    client(settings)
    payment = session.get(Payment, payment_id)
    if payment is None or payment.budget_id != budget.id:
        raise NotFound()
    return payment


def send_payment(
    session: Session,
    settings: Settings,
    payment: Payment,
    payment_method: str | None = None,
) -> str:
    """Step two of paying, after `open_payment` committed: the PaymentIntent created (or read
    back) at Stripe with no write open here, then its id recorded. Returns the client secret
    for Stripe.js. With `payment_method` the intent is confirmed server-side."""
    stripe_client = client(settings)
    if payment.status != PaymentStatus.pending:
        raise NothingToPay()
    no_write_open(session)
    if not payment.stripe_payment_intent_id.startswith(UNSENT):
        intent = stripe_client.payment_intents.retrieve(payment.stripe_payment_intent_id)
        if payment_method and intent.status == "requires_payment_method":
            intent = stripe_client.payment_intents.confirm(
                intent.id, params={"payment_method": payment_method}
            )
        return intent.client_secret or ""
    params: dict[str, Any] = {
        "amount": payment.amount_cents,
        "currency": "eur",
        "payment_method_types": ["card"],  # what the card form and localstripe support
        "metadata": {
            "payment_id": str(payment.id),
            "budget_id": str(payment.budget_id),
            "plan_version_id": str(payment.plan_version_id),
        },
    }
    if payment_method:
        params.update(payment_method=payment_method, confirm=True)
    intent = stripe_client.payment_intents.create(
        params=params,  # type: ignore[arg-type]
        options={"idempotency_key": f"payment:{payment.id}"},
    )
    payment.stripe_payment_intent_id = intent.id
    session.add(payment)
    session.flush()
    return intent.client_secret or ""


def refundable_cents(session: Session, budget: Budget) -> int:
    """Prepaid own share the confirmed plan no longer needs: never more than what is left
    in the client's prepaid account (money a delivery took is never refunded)."""
    plan = confirmed_version(session, budget)
    still_needed = (plan.own_share_cents if plan else 0) - ledger.own_share_spent(session, budget)
    left = ledger.prepaid_balance(session, budget)
    return max(0, min(left, left - max(0, still_needed)))


def refund_excess(session: Session, settings: Settings, budget: Budget) -> int:
    """Post refunds of the prepaid own share the plan no longer needs (the outbox); they are
    sent to Stripe once this transaction has committed. Returns cents refunded."""
    client(settings)
    budget = ledger.lock_budget(session, budget)
    excess = refundable_cents(session, budget)
    refunded = 0
    payments = session.exec(
        select(Payment)
        .where(
            Payment.budget_id == budget.id,
            col(Payment.status).in_([PaymentStatus.succeeded, PaymentStatus.refunded]),
        )
        .order_by(col(Payment.id).desc())
    ).all()
    for payment in payments:
        amount = min(excess, payment.received_cents - payment.refunded_cents)
        if amount <= 0:
            continue
        record_refund(session, budget, payment, payment.refunded_cents + amount)
        excess -= amount
        refunded += amount
    session.flush()
    if refunded:
        after_transaction(session, lambda own: send_refunds(own, settings, budget.id))
    return refunded


def record_refund(session: Session, budget: Budget, payment: Payment, total: int) -> None:
    """The payment refunded up to `total` cents: the step posted from the prepaid account."""
    step = total - payment.refunded_cents
    if step <= 0:
        return
    key = f"refund:{payment.id}:{total}"
    ledger.post(session, budget, EntryKind.refund, -step, key, note="own share refund")
    payment.refunded_cents = total
    if payment.status == PaymentStatus.succeeded:
        payment.status = PaymentStatus.refunded
    session.add(payment)


def send_refunds(session: Session, settings: Settings, budget_id: int | None = None) -> int:
    """Send the refunds posted but not yet sent (committed rows only: reads hold no lock),
    then record what Stripe accepted; returns how many were sent. A send recorded but lost
    before its commit is sent again with the same idempotency key: Stripe answers it once."""
    query = select(Payment).where(col(Payment.refunded_cents) > col(Payment.refund_sent_cents))
    if budget_id is not None:
        query = query.where(Payment.budget_id == budget_id)
    pending = session.exec(query).all()
    no_write_open(session)
    accepted: list[tuple[Payment, int]] = []
    for payment in pending:
        total = payment.refunded_cents
        try:
            client(settings).refunds.create(
                params={
                    "payment_intent": payment.stripe_payment_intent_id,
                    "amount": total - payment.refund_sent_cents,
                },
                options={"idempotency_key": f"refund:{payment.id}:{total}"},
            )
        except stripe.StripeError:
            continue  # sent again by the payments_outbox job
        accepted.append((payment, total))
    for payment, total in accepted:
        payment.refund_sent_cents = total
        session.add(payment)
    session.flush()
    return len(accepted)


def send_refunds_job(settings: Settings, session: Session, _now: object) -> int:
    """The payments_outbox job: refunds whose send failed are sent again."""
    if not settings.payments_enabled:
        return 0
    return send_refunds(session, settings)
