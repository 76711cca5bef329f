"""50 parallel delivery confirmations and 20 replayed webhooks against one budget."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import Settings
from app.models.budget import Budget
from app.services.budget import ledger, payments
from app.services.identity.users import load_actor
from tests.support import ledger_load, localstripe


@pytest.fixture(scope="module")
def stripe_url() -> Iterator[str]:
    with localstripe.running() as url:
        yield url


def test_parallel_confirmations_never_overdraw(engine: Engine) -> None:
    # The frame covers 40 of 50 units and nothing is prepaid: 10 invoiced as own share.
    data = ledger_load.prepare(engine, units=50, frame_units=40)
    outcome = ledger_load.run(engine, data, workers=10)
    assert outcome.problems == []
    assert outcome.accepted == 50 and outcome.refused == 0
    with Session(engine) as s:
        budget = s.get(Budget, data["budget_id"])
        assert budget is not None and ledger.balance(s, budget) == 0
        assert ledger.own_share_used(s, budget) == 10 * ledger_load.PRICE


def test_parallel_confirmations_and_webhook_replays(
    engine: Engine, settings: Settings, stripe_url: str
) -> None:
    pay = settings.model_copy(
        update={
            "stripe_secret_key": "sk_test_hebu",
            "stripe_webhook_secret": localstripe.WEBHOOK_SECRET,
            "stripe_api_base": stripe_url,
        }
    )
    data = ledger_load.prepare(engine, units=50, frame_units=40)
    with Session(engine, expire_on_commit=False) as s:
        budget = s.get(Budget, data["budget_id"])
        actor = load_actor(s, data["client_id"])
        assert budget is not None and actor is not None
        import stripe

        method = stripe.StripeClient("sk_test_hebu", base_addresses={"api": stripe_url})
        card = method.payment_methods.create(
            params={
                "type": "card",
                "card": {
                    "number": "4242424242424242",
                    "exp_month": 12,
                    "exp_year": 2030,
                    "cvc": "123",
                },
            }
        )
        payment = payments.open_payment(s, pay, actor, budget)
        s.commit()
        payments.send_payment(s, pay, payment, payment_method=card.id)
        s.commit()
    event = localstripe.signed_event(
        "evt_load", "payment_intent.succeeded", {"id": payment.stripe_payment_intent_id}
    )
    outcome = ledger_load.run(engine, data, workers=10, settings=pay, webhook=event, replays=20)
    assert outcome.problems == []
    assert outcome.webhook_posted == 1
    assert outcome.accepted == 50
    with Session(engine) as s:
        budget = s.get(Budget, data["budget_id"])
        assert budget is not None and ledger.balance(s, budget) >= 0
