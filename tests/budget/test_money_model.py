"""A state machine (Hypothesis) drives random sequences through the real money services, on
SQLite and PostgreSQL: frames set and changed, plan versions (lines added and removed, sent,
confirmed, returned), orders, delivery reports, confirmations, disputes and every answer to
them, auto-accept runs, reversals, settlement runs and approvals, own shares paid online
(localstripe), refunded by Hebu or in Stripe's dashboard, disputed at the card issuer, and a
confirm / dispute / auto-accept race. After every step: `ledger verify` finds nothing, the
ledger is the confirmed deliveries minus reversals, no cent is lost or counted twice, no
balance (per category share too) is below zero, every settlement line traces to exactly one
delivery, and each delivery is in the state the steps that succeeded left it in.

Bounded and derandomised (the same sequences every run); HEBU_MONEY_MODEL_EXAMPLES raises
the number of sequences for a longer local hunt.
"""

from __future__ import annotations

import itertools
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, Verbosity, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.config import Settings
from app.db import make_engine
from app.errors import AppError
from app.models.budget import ExperimentArm
from app.models.ledger import Delivery
from app.models.payment import Payment, PaymentStatus
from app.models.settlement import Settlement, SettlementStatus
from app.models.user import Role
from app.services.budget import disputes, ledger, payments, settlement
from tests.support import localstripe, postgres
from tests.support.budget_world import build, user
from tests.support.money_checks import ledger_verify, money_problems, settlement_problems
from tests.support.money_steps import ANSWERS, DAYS, SEEN, Steps

SHRINK = bool(os.environ.get("HEBU_MONEY_MODEL_SHRINK"))
EXAMPLES = int(os.environ.get("HEBU_MONEY_MODEL_EXAMPLES", "8"))
pick = st.integers(min_value=0, max_value=10_000)  # an index into whatever is there now
days = st.integers(0, len(DAYS) - 1)


@pytest.fixture(scope="module")
def stripe_url() -> Iterator[str]:
    with localstripe.running() as url:
        yield url


def machine(new_engine: Callable[[], Engine], pay_settings: Settings, stripe_url: str) -> type:  # noqa: C901
    codes = itertools.count()

    class Money(Steps, RuleBasedStateMachine):
        """One client's budget per sequence; each step its own session and transaction."""

        @initialize(
            shares=st.booleans(),
            frame=st.integers(20, 40),
            lines=st.lists(st.tuples(pick, st.integers(2, 5)), min_size=1, max_size=3),
            reports=st.lists(st.tuples(pick, st.integers(1, 3), days), max_size=4),
        )
        def world(
            self,
            shares: bool,
            frame: int,
            lines: list[tuple[int, int]],
            reports: list[tuple[int, int, int]],
        ) -> None:
            """A budget with a confirmed plan whose orders the provider accepted, and some
            deliveries reported on it."""
            self.engine = new_engine()  # a database of its own: verify reads only this run
            self.code = f"mm{next(codes)}"
            self.status = {}
            self.reversed = {}
            self.events = itertools.count()
            with Session(self.engine, expire_on_commit=False) as s:
                world = build(s, allows_own_share=True, code=self.code)
                self.shares = {world.categories[0].id: 5_000, world.categories[1].id: 4_000}
                self.arm = ExperimentArm.b if shares else ExperimentArm.a
                offers = [world.offer(price, category=i % 2) for i, price in enumerate(PRICES)]
                admin = user(s, "Anna", Role.admin, organiser_id=world.organiser.id)
                self.ids = {
                    "client": world.client.id,
                    "worker": world.case_worker.id,
                    "provider": world.provider_user.id,
                    "admin": admin.id,
                    "organiser": world.organiser.id,
                }
                self.offers = [o.id for o in offers]
                s.commit()
            assert not isinstance(self.frame(frame), AppError)
            for offer, quantity in lines:
                self.add_line(offer, quantity)
            self.new_version(confirm=True, offer=0, quantity=0, drop=None)
            for index, units, day in reports:
                self.report(index, units, day)

        def teardown(self) -> None:
            if hasattr(self, "engine"):
                self.engine.dispose()

        # --- settlement ------------------------------------------------------------------
        def settle(self, approve: bool) -> None:
            def run(s: Session) -> None:
                settlement.refresh(s, [self.ids["organiser"]])
                if not approve:
                    return
                admin = self.actor(s, "admin")
                for found in s.exec(
                    select(Settlement).where(
                        Settlement.organiser_id == self.ids["organiser"],
                        Settlement.status == SettlementStatus.open,
                    )
                ).all():
                    total = settlement.detail(s, admin, found.id).total_cents  # type: ignore[arg-type]
                    settlement.advance(s, admin, found.id, SettlementStatus.approved, total)  # type: ignore[arg-type]

            assert not isinstance(self.do(run), AppError)

        # --- own share online ------------------------------------------------------------
        def webhook(self, kind: str, obj: dict[str, Any]) -> Any:
            body = localstripe.signed_event(f"evt_{self.code}_{next(self.events)}", kind, obj)
            from app.services.budget import payment_events

            return self.do(lambda s: payment_events.handle_webhook(s, pay_settings, *body))

        def pay(self) -> None:
            opened = self.do(
                lambda s: payments.open_payment(
                    s, pay_settings, self.actor(s, "client"), self.budget(s)
                )
            )
            if isinstance(opened, AppError):
                return
            card = localstripe.card(stripe_url)
            with Session(self.engine, expire_on_commit=False) as s:
                payment = s.get(Payment, opened.id)
                payments.send_payment(s, pay_settings, payment, card)  # type: ignore[arg-type]
                s.commit()
                intent = payment.stripe_payment_intent_id  # type: ignore[union-attr]
            assert self.webhook("payment_intent.succeeded", {"id": intent}) in (
                "posted",
                "no change",
            )

        def refund_excess(self) -> None:
            self.do(lambda s: payments.refund_excess(s, pay_settings, self.budget(s)))

        def succeeded(self, s: Session) -> list[Payment]:
            return list(
                s.exec(
                    select(Payment).where(
                        Payment.budget_id == self.budget(s).id,
                        col(Payment.status).in_([PaymentStatus.succeeded, PaymentStatus.refunded]),
                    )
                ).all()
            )

        def in_stripe(self, cents: int, via: str) -> None:
            """A refund made in Stripe's dashboard, or a card dispute (won or lost), of money the
            client's account still holds (spent money refunded is what verify reports)."""
            with Session(self.engine) as s:
                found = [p for p in self.succeeded(s) if not p.disputed_cents]
                left = ledger.prepaid_balance(s, self.budget(s))
            if not found:
                return
            payment = found[0]
            amount = min(cents, left, payment.received_cents - payment.refunded_cents)
            if amount <= 0:
                return
            intent = payment.stripe_payment_intent_id
            if via == "refund":
                localstripe.client(stripe_url).refunds.create(
                    params={"payment_intent": intent, "amount": amount}
                )
                assert (
                    self.webhook("charge.refunded", {"id": "ch", "payment_intent": intent})
                    == "refunded"
                )
                return
            dispute = {
                "id": f"dp_{self.code}_{payment.id}",
                "payment_intent": intent,
                "amount": amount,
            }
            assert self.webhook("charge.dispute.created", dispute) == "disputed"
            if via == "won":
                closed = {**dispute, "status": "won"}
                assert self.webhook("charge.dispute.closed", closed) == "dispute won"

        # --- the one rule ----------------------------------------------------------------
        @rule(data=st.data())
        def step(self, data: st.DataObject) -> None:
            """One action and its arguments (one rule: a rule per action would let Hypothesis
            switch whole actions off for a sequence, and with few sequences most would never
            dispute). What is drawn never depends on the state (a race's outcome varies from
            run to run): an action with nothing to act on does nothing."""
            action = data.draw(st.sampled_from(WEIGHTED))
            args = data.draw(st.fixed_dictionaries(ACTIONS[action]))
            note(f"{action}({args})")
            getattr(self, action)(**args)

        # --- invariants ------------------------------------------------------------------
        @invariant()
        def money_adds_up(self) -> None:
            if not hasattr(self, "ids"):
                return
            with Session(self.engine) as s:
                budget = self.budget(s)
                assert ledger_verify(s, pay_settings) == []
                reversed_cents = sum(self.reversed.values())
                assert money_problems(s, budget.id, reversed_cents) == []  # type: ignore[arg-type]
                rows = s.exec(select(Delivery).where(Delivery.budget_id == budget.id)).all()
                assert {d.id: d.status for d in rows} == self.status
                problems = settlement_problems(s, self.reversed)
                s.rollback()
            assert problems == []

    return Money


PRICES = [1_250, 2_000, 4_999, 10_000]
# How often an action comes up, against once for the others: deliveries are the point.
WEIGHTS = {"report": 4, "confirm": 4, "cut_frame": 2, "race": 2, "dispute": 2, "pay": 2}
# Each action and its arguments (WEIGHTED below).
ACTIONS: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    "set_frame": {"frame": st.integers(0, 40)},
    "cut_frame": {"delta": st.integers(-4, 10), "waiting": st.booleans()},
    "add_line": {"offer": pick, "quantity": st.integers(1, 6)},
    "remove_line": {"index": pick},
    "submit": {},
    "decide_plan": {"confirm": st.booleans()},
    "new_version": {
        "confirm": st.integers(0, 3),
        "offer": pick,
        "quantity": st.integers(0, 6),
        "drop": st.none() | pick,
    },
    "decide_order": {"index": pick, "accept": st.integers(0, 3)},
    "report": {"index": pick, "units": st.integers(1, 4), "day": st.integers(0, len(DAYS) + 1)},
    "confirm": {"index": pick},
    "dispute": {"index": pick},
    "answer_dispute": {
        "index": pick,
        "answer": st.sampled_from(ANSWERS),
        "units": st.integers(1, 4),
        "day": days,
    },
    "decide_dispute": {
        "index": pick,
        "outcome": st.sampled_from(list(disputes.Outcome)),
        "units": st.integers(1, 3),
    },
    "auto_accept": {},
    "race": {"index": pick},
    "reverse": {"index": pick},
    "settle": {"approve": st.booleans()},
    "pay": {},
    "refund_excess": {},
    "in_stripe": {
        "cents": st.integers(1, 20_000),
        "via": st.sampled_from(["refund", "dispute", "won"]),
    },
}
WEIGHTED = [action for action in ACTIONS for _ in range(WEIGHTS.get(action, 1))]


@pytest.fixture
def databases(
    request: pytest.FixtureRequest, db_url: str, tmp_path: Path
) -> Iterator[Callable[[], Engine]]:
    """A fresh database (schema only) for each sequence, on the test's engine."""
    made: list[str] = []
    if db_url.startswith("sqlite"):
        template: Path = request.getfixturevalue("sqlite_template")

        def new() -> Engine:
            target = tmp_path / f"run{len(made)}.db"
            shutil.copyfile(template, target)
            made.append(str(target))
            return make_engine(f"sqlite:///{target}")

        yield new
        return
    cluster: postgres.PgCluster = request.getfixturevalue("pg_cluster")
    template_name: str = request.getfixturevalue("pg_template")
    admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")

    def new_pg() -> Engine:
        name = "mm_" + uuid.uuid4().hex[:16]
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
        made.append(name)
        return make_engine(cluster.url(name))

    yield new_pg
    with admin.connect() as conn:
        for name in made:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_money_stays_whole_under_random_sequences(
    databases: Callable[[], Engine], settings: Settings, stripe_url: str
) -> None:
    pay_settings = localstripe.settings_for(settings, stripe_url)
    Money = machine(databases, pay_settings, stripe_url)
    Money.TestCase.settings = settings_for_run()
    Money.TestCase().runTest()
    print(sorted(SEEN.items()))


def settings_for_run() -> settings:
    return settings(
        max_examples=EXAMPLES,
        stateful_step_count=15,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
        # Shrinking a failure takes minutes: the failing sequence is printed as found, with
        # each action (HEBU_MONEY_MODEL_SHRINK=1 shrinks it).
        phases=[Phase.explicit, Phase.generate, *([Phase.shrink] * SHRINK)],
        verbosity=Verbosity.verbose
        if os.environ.get("HEBU_MONEY_MODEL_VERBOSE")
        else Verbosity.normal,
    )
