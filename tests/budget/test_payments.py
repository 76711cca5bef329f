"""Own-share payments against localstripe; our own webhook de-duplication tested directly."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import stripe
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.config import Settings
from app.main import create_app
from app.models.ledger import EntryKind, LedgerEntry
from app.models.payment import Payment, WebhookEvent
from app.services.budget import deliveries, ledger, payments, plan
from app.services.budget import frames as budget_service
from tests.support import localstripe
from tests.support.budget_world import TODAY, build


@pytest.fixture(scope="module")
def stripe_url() -> Iterator[str]:
    with localstripe.running() as url:
        yield url


@pytest.fixture
def pay_settings(settings: Settings, stripe_url: str) -> Settings:
    return settings.model_copy(
        update={
            "stripe_secret_key": "sk_test_hebu",
            "stripe_publishable_key": "pk_test_hebu",
            "stripe_webhook_secret": localstripe.WEBHOOK_SECRET,
            "stripe_api_base": stripe_url,
        }
    )


def _own_share_plan(session: Session):  # noqa: ANN202
    world = build(session, allows_own_share=True)
    budget = world.frame(40_000)
    client = world.actor(world.client)
    line = plan.add_line(session, client, budget, world.offer(5_000).id, 10, 1, TODAY)  # type: ignore[arg-type]
    plan.submit(session, client, budget, "")
    plan.confirm(session, world.actor(world.case_worker), budget, "")
    deliveries.decide_order(session, world.actor(world.provider_user), line.id, True)  # type: ignore[arg-type]
    return world, budget, line


def _card(stripe_url: str) -> str:
    """What Stripe.js does in the browser: a payment method from the card element."""
    client = stripe.StripeClient("sk_test_hebu", base_addresses={"api": stripe_url})
    method = client.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"},
        }
    )
    return method.id


def test_own_share_paid_once_and_refunded(
    session: Session, pay_settings: Settings, stripe_url: str
) -> None:
    world, budget, line = _own_share_plan(session)
    client = world.actor(world.client)
    assert payments.own_share_due(session, budget) == 10_000
    unpaid, secret = payments.start_payment(session, pay_settings, client, budget)
    assert secret and unpaid.amount_cents == 10_000
    # Before the card is charged, a (forged or early) success event changes nothing.
    early = localstripe.signed_event(
        "evt_early", "payment_intent.succeeded", {"id": unpaid.stripe_payment_intent_id}
    )
    assert payments.handle_webhook(session, pay_settings, *early) == "no change"
    payment, _secret = payments.start_payment(
        session, pay_settings, client, budget, payment_method=_card(stripe_url)
    )
    intent = {"id": payment.stripe_payment_intent_id, "object": "payment_intent"}
    event = localstripe.signed_event("evt_1", "payment_intent.succeeded", intent)
    assert payments.handle_webhook(session, pay_settings, *event) == "posted"
    for _ in range(3):  # replays are no-ops
        assert payments.handle_webhook(session, pay_settings, *event) == "duplicate"
    # Out of order: an older "failed" event after success does not undo anything.
    late = localstripe.signed_event("evt_0", "payment_intent.payment_failed", intent)
    payments.handle_webhook(session, pay_settings, *late)
    assert ledger.balance(session, budget) == 50_000
    assert payments.own_share_due(session, budget) == 0
    assert len(session.exec(select(WebhookEvent)).all()) == 3
    with pytest.raises(payments.NothingToPay):
        payments.start_payment(session, pay_settings, client, budget)
    # The whole line is now paid from the budget (it holds the prepaid own share).
    delivery = deliveries.report_delivery(
        session,
        world.actor(world.provider_user),
        line.id,
        TODAY,
        8,
        "",  # type: ignore[arg-type]
    )
    deliveries.accept(session, client, budget, delivery.id)  # type: ignore[arg-type]
    assert (delivery.budget_cents, delivery.own_share_cents) == (40_000, 0)
    # The plan changes to 8 units: the prepaid own share is no longer needed -> refund.
    plan.remove_line(session, client, budget, line.id)  # type: ignore[arg-type]
    plan.add_line(session, client, budget, world.offers[0].id, 8, 1, TODAY)  # type: ignore[arg-type]
    plan.submit(session, client, budget, "")
    plan.confirm(session, world.actor(world.case_worker), budget, "")
    assert payments.refund_excess(session, pay_settings, budget) == 10_000
    assert payments.refund_excess(session, pay_settings, budget) == 0
    assert ledger.balance(session, budget) == 0
    kinds = [e.kind for e in session.exec(select(LedgerEntry)).all()]
    assert kinds.count(EntryKind.own_share_payment) == 1 and kinds.count(EntryKind.refund) == 1
    assert ledger.verify(session) == []


def test_bad_signature_is_refused(session: Session, pay_settings: Settings) -> None:
    payload, header = localstripe.signed_event("evt_x", "payment_intent.succeeded", {"id": "pi"})
    with pytest.raises(payments.BadSignature):
        payments.handle_webhook(session, pay_settings, payload + b" ", header)
    assert session.exec(select(WebhookEvent)).all() == []


def test_webhook_route(pay_settings: Settings, engine, session: Session) -> None:  # noqa: ANN001
    app = create_app(pay_settings, engine)
    with TestClient(app) as client:
        payload, header = localstripe.signed_event("evt_r", "charge.succeeded", {"id": "ch"})
        bad = client.post("/webhooks/stripe", content=payload, headers={"stripe-signature": "x"})
        assert bad.status_code == 400
        ok = client.post("/webhooks/stripe", content=payload, headers={"stripe-signature": header})
        assert ok.status_code == 200 and ok.json()["outcome"] == "ignored"
        again = client.post(
            "/webhooks/stripe", content=payload, headers={"stripe-signature": header}
        )
        assert again.json()["outcome"] == "duplicate"


def test_without_payments_own_share_is_invoiced(session: Session, settings: Settings) -> None:
    world, budget, line = _own_share_plan(session)
    with pytest.raises(payments.PaymentsDisabled):
        payments.start_payment(session, settings, world.actor(world.client), budget)
    delivery = deliveries.report_delivery(
        session,
        world.actor(world.provider_user),
        line.id,
        TODAY,
        10,
        "",  # type: ignore[arg-type]
    )
    deliveries.accept(session, world.actor(world.client), budget, delivery.id)  # type: ignore[arg-type]
    assert (delivery.budget_cents, delivery.own_share_cents) == (40_000, 10_000)
    assert payments.own_share_due(session, budget) == 0
    assert session.exec(select(Payment)).all() == []
    assert budget_service.confirmed_version(session, budget) is not None
