"""Own-share payments against localstripe: the prepaid account, the two-step start, refunds
through the outbox. Webhook event effects: test_payment_events.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.config import Settings
from app.main import create_app
from app.models.ledger import EntryKind, LedgerEntry
from app.models.payment import Payment, PaymentStatus, WebhookEvent
from app.services.budget import deliveries, ledger, payment_events, payments, plan
from app.services.budget import frames as budget_service
from tests.support import localstripe
from tests.support.budget_world import TODAY, BudgetWorld, build


@pytest.fixture(scope="module")
def stripe_url() -> Iterator[str]:
    with localstripe.running() as url:
        yield url


@pytest.fixture
def pay_settings(settings: Settings, stripe_url: str) -> Settings:
    return localstripe.settings_for(settings, stripe_url)


def own_share_plan(session: Session, units: int = 10):  # noqa: ANN201
    """Frame 400 €, a plan of `units` x 50 €: 10 units leave 100 € own share."""
    world = build(session, allows_own_share=True)
    budget = world.frame(40_000)
    client = world.actor(world.client)
    line = plan.add_line(session, client, budget, world.offer(5_000).id, units, 1, TODAY)  # type: ignore[arg-type]
    plan.submit(session, client, budget, "", None, plan.pending_own_share(session, budget))
    plan.confirm(session, world.actor(world.case_worker), budget, "")
    deliveries.decide_order(session, world.actor(world.provider_user), line.id, True)  # type: ignore[arg-type]
    session.commit()
    return world, budget, line


def pay(
    session: Session, settings: Settings, world: BudgetWorld, budget, card: str | None = None
) -> Payment:  # noqa: ANN001
    """Both steps of paying as the web does them, each committed; with `card` charged."""
    payment = payments.open_payment(session, settings, world.actor(world.client), budget)
    session.commit()
    payments.send_payment(session, settings, payment, card)
    session.commit()
    return payment


def webhook(session: Session, settings: Settings, event_id: str, kind: str, obj: dict) -> str:  # type: ignore[type-arg]
    outcome = payment_events.handle_webhook(
        session, settings, *localstripe.signed_event(event_id, kind, obj)
    )
    session.commit()
    return outcome


def confirm_new_plan(session: Session, world: BudgetWorld, budget, line, units: int):  # noqa: ANN001, ANN201
    client = world.actor(world.client)
    plan.remove_line(session, client, budget, line.id)
    new = plan.add_line(session, client, budget, world.offers[0].id, units, 1, TODAY)  # type: ignore[arg-type]
    plan.submit(session, client, budget, "", None, plan.pending_own_share(session, budget))
    plan.confirm(session, world.actor(world.case_worker), budget, "")
    return new


def test_prepaid_own_share_is_not_budget_money(
    session: Session, pay_settings: Settings, stripe_url: str
) -> None:
    world, budget, line = own_share_plan(session)
    assert payments.own_share_due(session, budget) == 10_000
    payment = pay(session, pay_settings, world, budget, localstripe.card(stripe_url))
    intent = {"id": payment.stripe_payment_intent_id, "object": "payment_intent"}
    assert webhook(session, pay_settings, "evt_1", "payment_intent.succeeded", intent) == "posted"
    # The client's money sits in its own account; the budget's balance is still the frame.
    assert ledger.balance(session, budget) == 40_000
    assert ledger.prepaid_balance(session, budget) == 10_000
    assert payments.own_share_due(session, budget) == 0
    with pytest.raises(payments.NothingToPay):
        payments.open_payment(session, pay_settings, world.actor(world.client), budget)
    # All 10 units delivered: 400 € from the budget, 100 € drawn from the prepaid share.
    provider = world.actor(world.provider_user)
    delivery = deliveries.report_delivery(session, provider, line.id, TODAY, 10, "")  # type: ignore[arg-type]
    deliveries.accept(session, world.actor(world.client), budget, delivery.id)  # type: ignore[arg-type]
    assert (delivery.budget_cents, delivery.own_share_cents) == (40_000, 10_000)
    assert (ledger.balance(session, budget), ledger.prepaid_balance(session, budget)) == (0, 0)
    session.commit()
    # The plan shrinks to 8 units: the prepaid 100 € was spent, so nothing is refunded and
    # the budget never goes negative (the issue's -100 €).
    confirm_new_plan(session, world, budget, line, 8)
    assert payments.refund_excess(session, pay_settings, budget) == 0
    session.commit()
    assert ledger.balance(session, budget) == 0
    assert ledger.verify(session) == []
    assert payment_events.verify(session, pay_settings) == []


def test_unneeded_prepaid_share_is_refunded_once_through_the_outbox(
    session: Session, pay_settings: Settings, stripe_url: str
) -> None:
    world, budget, line = own_share_plan(session)
    payment = pay(session, pay_settings, world, budget, localstripe.card(stripe_url))
    intent = {"id": payment.stripe_payment_intent_id}
    webhook(session, pay_settings, "evt_p", "payment_intent.succeeded", intent)
    confirm_new_plan(session, world, budget, line, 8)
    # Stripe is unreachable: the refund is posted and committed, its send waits.
    down = pay_settings.model_copy(update={"stripe_api_base": "http://127.0.0.1:9"})
    assert payments.refund_excess(session, down, budget) == 10_000
    session.commit()
    session.refresh(payment)
    assert (payment.refunded_cents, payment.refund_sent_cents) == (10_000, 0)
    assert ledger.prepaid_balance(session, budget) == 0
    assert payments.refund_excess(session, pay_settings, budget) == 0  # never twice
    session.commit()
    assert "a refund posted is not yet sent to the provider" in str(
        payment_events.verify(session, pay_settings)
    )
    # The outbox job sends it once Stripe answers; then Stripe's own report agrees.
    assert payments.send_refunds_job(pay_settings, session, None) == 1
    session.commit()
    assert payments.send_refunds_job(pay_settings, session, None) == 0
    stripe_client = localstripe.client(stripe_url)
    charge = stripe_client.payment_intents.retrieve(payment.stripe_payment_intent_id).latest_charge
    charge_id = charge if isinstance(charge, str) else charge.id  # type: ignore[union-attr]
    assert stripe_client.charges.retrieve(charge_id).amount_refunded == 10_000
    refunded = {"id": charge_id, "payment_intent": payment.stripe_payment_intent_id}
    assert webhook(session, pay_settings, "evt_r", "charge.refunded", refunded) == "no change"
    kinds = [e.kind for e in session.exec(select(LedgerEntry)).all()]
    assert kinds.count(EntryKind.own_share_prepaid) == 1 and kinds.count(EntryKind.refund) == 1
    assert ledger.verify(session) == [] and payment_events.verify(session, pay_settings) == []


def test_two_tabs_get_one_payment_and_a_plan_change_replaces_it(
    session: Session, pay_settings: Settings, stripe_url: str
) -> None:
    world, budget, line = own_share_plan(session)
    first = pay(session, pay_settings, world, budget)
    second = pay(session, pay_settings, world, budget)
    assert first.id == second.id
    assert first.stripe_payment_intent_id == second.stripe_payment_intent_id
    # A new plan version with another own share: the old tab's payment ends, its intent is
    # cancelled at Stripe after the commit.
    confirm_new_plan(session, world, budget, line, 9)
    session.commit()
    third = pay(session, pay_settings, world, budget)
    assert third.id != first.id and third.amount_cents == 5_000
    session.refresh(first)
    assert first.status == PaymentStatus.failed
    intent = localstripe.client(stripe_url).payment_intents.retrieve(first.stripe_payment_intent_id)
    assert intent.status == "canceled"


def test_no_provider_call_while_a_write_is_open(session: Session, pay_settings: Settings) -> None:
    world, budget, _line = own_share_plan(session)
    payment = payments.open_payment(session, pay_settings, world.actor(world.client), budget)
    with pytest.raises(RuntimeError, match="open write"):
        payments.send_payment(session, pay_settings, payment)  # not committed yet
    session.rollback()
    assert session.exec(select(Payment)).all() == []


def test_ledger_key_reused_with_another_amount_raises(session: Session) -> None:
    world = build(session)
    budget = world.frame(40_000)
    assert ledger.post(session, budget, EntryKind.correction, -100, "k:1") is not None
    assert ledger.post(session, budget, EntryKind.correction, -100, "k:1") is None  # replay
    with pytest.raises(ledger.KeyReused):
        ledger.post(session, budget, EntryKind.correction, -200, "k:1")
    with pytest.raises(ledger.KeyReused):
        ledger.post(session, budget, EntryKind.correction, -100, "k:1", affects_balance=False)
    with pytest.raises(ledger.KeyReused):
        ledger.post(session, budget, EntryKind.refund, -100, "k:1")


def test_bad_signature_is_refused(session: Session, pay_settings: Settings) -> None:
    payload, header = localstripe.signed_event("evt_x", "payment_intent.succeeded", {"id": "pi"})
    with pytest.raises(payments.BadSignature):
        payment_events.handle_webhook(session, pay_settings, payload + b" ", header)
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
    world, budget, line = own_share_plan(session)
    with pytest.raises(payments.PaymentsDisabled):
        payments.open_payment(session, settings, world.actor(world.client), budget)
    provider = world.actor(world.provider_user)
    delivery = deliveries.report_delivery(session, provider, line.id, TODAY, 10, "")  # type: ignore[arg-type]
    deliveries.accept(session, world.actor(world.client), budget, delivery.id)  # type: ignore[arg-type]
    assert (delivery.budget_cents, delivery.own_share_cents) == (40_000, 10_000)
    assert payments.own_share_due(session, budget) == 0
    assert session.exec(select(Payment)).all() == []
    assert budget_service.confirmed_version(session, budget) is not None
