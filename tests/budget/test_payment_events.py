"""Every Stripe event type has one effect on the own-share account, the same under replay and
reordering (localstripe answers the read-back; disputes it does not model come signed)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.config import Settings
from app.main import create_app
from app.models.payment import Payment, PaymentStatus, WebhookEvent
from app.services.budget import ledger, payment_events, payments
from tests.budget.test_payments import confirm_new_plan, own_share_plan, pay, webhook
from tests.support import localstripe


@pytest.fixture(scope="module")
def stripe_url() -> Iterator[str]:
    with localstripe.running() as url:
        yield url


@pytest.fixture
def pay_settings(settings: Settings, stripe_url: str) -> Settings:
    return localstripe.settings_for(settings, stripe_url)


def _charge_of(stripe_url: str, intent_id: str) -> str:
    charge = localstripe.client(stripe_url).payment_intents.retrieve(intent_id).latest_charge
    return charge if isinstance(charge, str) else charge.id  # type: ignore[union-attr]


def test_open_states_move_no_money_and_cancel_ends_the_payment(
    session: Session, pay_settings: Settings, stripe_url: str
) -> None:
    world, budget, _line = own_share_plan(session)
    payment = pay(session, pay_settings, world, budget)  # no card yet
    intent = {"id": payment.stripe_payment_intent_id}
    for n, kind in enumerate(
        ["created", "requires_action", "processing", "payment_failed", "succeeded"]
    ):
        # A forged or early "succeeded" changes nothing: Stripe says the intent is open.
        assert webhook(session, pay_settings, f"evt_o{n}", f"payment_intent.{kind}", intent) == (
            "no change"
        )
    session.refresh(payment)
    assert payment.status == PaymentStatus.pending
    assert payment.provider_status == "requires_payment_method"
    assert ledger.prepaid_balance(session, budget) == 0
    localstripe.client(stripe_url).payment_intents.cancel(payment.stripe_payment_intent_id)
    assert webhook(session, pay_settings, "evt_c", "payment_intent.canceled", intent) == "failed"
    # Reordered: an older "created" arriving now leaves it ended.
    assert webhook(session, pay_settings, "evt_c0", "payment_intent.created", intent) == (
        "no change"
    )
    session.refresh(payment)
    assert payment.status == PaymentStatus.failed
    assert payments.own_share_due(session, budget) == 10_000
    assert payment_events.verify(session, pay_settings) == []


def test_refunds_in_stripe_partial_then_full_and_replays(
    session: Session, pay_settings: Settings, stripe_url: str
) -> None:
    world, budget, _line = own_share_plan(session)
    payment = pay(session, pay_settings, world, budget, localstripe.card(stripe_url))
    intent_id = payment.stripe_payment_intent_id
    webhook(session, pay_settings, "evt_s", "payment_intent.succeeded", {"id": intent_id})
    stripe_client = localstripe.client(stripe_url)
    charge = {"id": _charge_of(stripe_url, intent_id), "payment_intent": intent_id}
    # A refund made in Stripe's dashboard, not by Hebu: the webhook brings it in.
    stripe_client.refunds.create(params={"payment_intent": intent_id, "amount": 3_000})
    assert webhook(session, pay_settings, "evt_r1", "charge.refunded", charge) == "refunded"
    assert ledger.prepaid_balance(session, budget) == 7_000
    assert payments.own_share_due(session, budget) == 3_000  # due again
    for event_id in ("evt_r1", "evt_r1b"):  # a replay, and the same news in a new event
        assert webhook(session, pay_settings, event_id, "charge.refunded", charge) in (
            "duplicate",
            "no change",
        )
    stripe_client.refunds.create(params={"payment_intent": intent_id, "amount": 7_000})
    assert webhook(session, pay_settings, "evt_r2", "charge.refunded", charge) == "refunded"
    # Reordered: the success event redelivered late posts nothing more.
    assert webhook(session, pay_settings, "evt_s2", "payment_intent.succeeded", {"id": intent_id})
    session.refresh(payment)
    assert (payment.status, payment.refunded_cents) == (PaymentStatus.refunded, 10_000)
    assert ledger.prepaid_balance(session, budget) == 0
    assert ledger.balance(session, budget) == 40_000  # the budget's money never moved
    assert payment_events.verify(session, pay_settings) == []
    assert ledger.verify(session) == []


def test_a_dispute_withdraws_the_prepaid_share_once_and_a_won_one_returns_it(
    session: Session, pay_settings: Settings, stripe_url: str
) -> None:
    world, budget, _line = own_share_plan(session)
    payment = pay(session, pay_settings, world, budget, localstripe.card(stripe_url))
    intent_id = payment.stripe_payment_intent_id
    webhook(session, pay_settings, "evt_s", "payment_intent.succeeded", {"id": intent_id})
    dispute = {"id": "dp_1", "payment_intent": intent_id, "amount": 10_000, "status": "open"}
    assert webhook(session, pay_settings, "evt_d", "charge.dispute.created", dispute) == (
        "disputed"
    )
    assert webhook(session, pay_settings, "evt_d", "charge.dispute.created", dispute) == (
        "duplicate"
    )
    webhook(session, pay_settings, "evt_d2", "charge.dispute.created", dispute)  # same dispute
    assert ledger.prepaid_balance(session, budget) == 0
    assert payments.own_share_due(session, budget) == 10_000
    session.refresh(payment)
    assert payment.status == PaymentStatus.disputed
    won = {**dispute, "status": "won"}
    assert webhook(session, pay_settings, "evt_w", "charge.dispute.closed", won) == "dispute won"
    assert ledger.prepaid_balance(session, budget) == 10_000
    assert payments.own_share_due(session, budget) == 0


def test_success_before_the_payment_is_known_is_retried_not_lost(
    session: Session, pay_settings: Settings, stripe_url: str, engine
) -> None:  # noqa: ANN001
    world, budget, _line = own_share_plan(session)
    # Stripe knows an intent of Hebu's payment 4242 whose row is not committed yet.
    stripe_client = localstripe.client(stripe_url)
    intent = stripe_client.payment_intents.create(
        params={
            "amount": 10_000,
            "currency": "eur",
            "payment_method": localstripe.card(stripe_url),
            "confirm": True,
            "metadata": {"payment_id": "4242"},
        }
    )
    payload, header = localstripe.signed_event(
        "evt_early", "payment_intent.succeeded", {"id": intent.id}
    )
    with TestClient(create_app(pay_settings, engine)) as http:
        early = http.post("/webhooks/stripe", content=payload, headers={"stripe-signature": header})
        assert early.status_code == 503  # Stripe retries a 5xx
        assert session.exec(select(WebhookEvent)).all() == []
        row = Payment(
            id=4242,
            budget_id=budget.id,  # type: ignore[arg-type]
            plan_version_id=payments.confirmed_version(session, budget).id,  # type: ignore[union-attr, arg-type]
            amount_cents=10_000,
            stripe_payment_intent_id=payments.UNSENT + "x",
            created_by_id=world.client.id,  # type: ignore[arg-type]
        )
        session.add(row)
        session.commit()
        retry = http.post("/webhooks/stripe", content=payload, headers={"stripe-signature": header})
        assert retry.status_code == 200 and retry.json()["outcome"] == "posted"
    session.refresh(row)
    assert row.stripe_payment_intent_id == intent.id and row.status == PaymentStatus.succeeded
    assert ledger.prepaid_balance(session, budget) == 10_000


def test_paid_twice_from_two_plan_versions_the_second_is_refunded(
    session: Session, pay_settings: Settings, stripe_url: str
) -> None:
    world, budget, line = own_share_plan(session)
    # The old tab pays; its webhook is late, so the plan still shows the share as due.
    old = pay(session, pay_settings, world, budget, localstripe.card(stripe_url))
    confirm_new_plan(session, world, budget, line, 10)  # a new version, the same own share
    session.commit()
    new = pay(session, pay_settings, world, budget, localstripe.card(stripe_url))
    assert new.id != old.id  # the old one could not be cancelled: it had succeeded
    for n, p in enumerate((new, old)):
        webhook(
            session,
            pay_settings,
            f"evt_{n}",
            "payment_intent.succeeded",
            {"id": p.stripe_payment_intent_id},
        )
    # Both were charged; the second credit is refunded at once (the outbox sent it).
    assert ledger.prepaid_balance(session, budget) == 10_000
    assert payments.own_share_due(session, budget) == 0
    refunded = [p for p in (old, new) if (session.refresh(p), p.refunded_cents)[1]]
    assert [(p.refunded_cents, p.refund_sent_cents) for p in refunded] == [(10_000, 10_000)]
    intent_id = refunded[0].stripe_payment_intent_id
    charge = {"id": _charge_of(stripe_url, intent_id), "payment_intent": intent_id}
    webhook(session, pay_settings, "evt_ref", "charge.refunded", charge)
    assert payment_events.verify(session, pay_settings) == []
    assert ledger.verify(session) == []
