"""The steps of the money state machine (tests/budget/test_money_model.py): frames, plan
versions, orders, deliveries, disputes, auto-accept, the race and reversals, each through the
real services, one request (session and transaction) each. The machine keeps `status`, the
state each delivery should be in after the steps that succeeded, and `reversed`."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.errors import AppError
from app.models.budget import Budget, ExperimentArm, OrderStatus, PlanLine
from app.models.ledger import Delivery, DeliveryStatus, EntryKind
from app.services.budget import deliveries, disputes, ledger, limits, plan
from app.services.budget import frames as budget_service
from app.services.identity.users import load_actor
from tests.support.budget_world import PERIOD, TODAY
from tests.support.bursts import burst

S = DeliveryStatus
DAYS = [date(2026, 1, 15), date(2026, 3, 31), date(2026, 5, 20), TODAY]
BAD_DAYS = [date(2099, 1, 1), date(1999, 1, 1), TODAY + timedelta(days=1)]
LATER = datetime.now(UTC) + timedelta(days=60)  # every report is due for auto-accept
ANSWERS = ["correct", "withdraw", "contest"]
SEEN: Counter[str] = Counter()  # what came of each step, printed at the end of the test


class Steps:
    engine: Engine
    ids: dict[str, int]
    offers: list[int]
    shares: dict[int, int]
    arm: ExperimentArm
    status: dict[int, DeliveryStatus]
    reversed: dict[int, int]

    # --- helpers ---------------------------------------------------------------------
    def do(self, call: Callable[[Session], Any]) -> Any:
        """One request: the call committed, or its AppError returned (rolled back). What
        came of it is a Hypothesis event (see --hypothesis-show-statistics)."""
        with Session(self.engine, expire_on_commit=False) as s:
            try:
                result = call(s)
                s.commit()
            except AppError as exc:
                s.rollback()
                result = exc
        caller = sys._getframe(1).f_code.co_name
        event(f"{caller}: {type(result).__name__}")
        SEEN[f"{caller}: {type(result).__name__}"] += 1
        return result

    def actor(self, s: Session, who: str):  # noqa: ANN202
        found = load_actor(s, self.ids[who])
        assert found is not None
        return found

    def budget(self, s: Session) -> Budget:
        return s.exec(select(Budget).where(Budget.client_id == self.ids["client"])).one()

    def deliveries_in(self, *states: S) -> list[int]:
        return sorted(d for d, st_ in self.status.items() if st_ in states)

    def chosen(self, index: int, *states: S) -> int | None:
        found = self.deliveries_in(*states)
        return found[index % len(found)] if found else None

    def note(self, delivery_id: int, status: S) -> None:
        self.status[delivery_id] = status

    # --- frames and plans ------------------------------------------------------------
    def set_frame(self, frame: int) -> None:
        self.frame(frame)

    def cut_frame(self, delta: int, waiting: bool) -> None:
        """A frame near what is paid (and waiting): the boundary the refusal guards."""
        with Session(self.engine) as s:
            budget = self.budget(s)
            used = ledger.allocated(s, budget) - ledger.balance(s, budget)
            if waiting:
                used += sum(
                    s.exec(
                        select(Delivery.amount_cents).where(
                            Delivery.budget_id == budget.id, Delivery.status == S.reported
                        )
                    ).all()
                )
        cents = max(0, used + delta * 500)
        data = budget_service.FrameInput(cents, self.arm, self.shares, "cut", *PERIOD)
        self.do(
            lambda s: budget_service.set_frame(s, self.actor(s, "worker"), self.ids["client"], data)
        )

    def frame(self, frame: int) -> Any:
        data = budget_service.FrameInput(frame * 5_000, self.arm, self.shares, "change", *PERIOD)
        return self.do(
            lambda s: budget_service.set_frame(s, self.actor(s, "worker"), self.ids["client"], data)
        )

    def add_line(self, offer: int, quantity: int) -> None:
        offer_id = self.offers[offer % len(self.offers)]
        self.do(
            lambda s: plan.add_line(
                s, self.actor(s, "client"), self.budget(s), offer_id, quantity, 1, TODAY
            )
        )

    def remove_line(self, index: int) -> None:
        def remove(s: Session) -> None:
            lines = budget_service.lines_of(s, budget_service.latest_version(s, self.budget(s)))
            if lines:
                line = lines[index % len(lines)]
                plan.remove_line(s, self.actor(s, "client"), self.budget(s), line.id)  # type: ignore[arg-type]

        self.do(remove)

    def submit(self) -> None:
        def send(s: Session) -> object:
            budget = self.budget(s)
            own_share = plan.pending_own_share(s, budget)  # the amount the client confirmed
            return plan.submit(s, self.actor(s, "client"), budget, "", None, own_share)

        self.do(send)

    def decide_plan(self, confirm: bool) -> None:
        decide = plan.confirm if confirm else plan.return_plan
        self.do(lambda s: decide(s, self.actor(s, "worker"), self.budget(s), "ok"))

    def new_version(self, confirm: int, offer: int, quantity: int, drop: int | None) -> None:
        """A new plan version in one go, each step its own request: a line dropped and
        one added, sent, confirmed (or returned), its new orders accepted."""
        if drop is not None:
            self.remove_line(drop)
        if quantity:
            self.add_line(offer, quantity)
        self.submit()
        self.decide_plan(confirm > 0)
        for index in range(3):
            self.decide_order(index, accept=1)

    def decide_order(self, index: int, accept: int) -> None:
        def decide(s: Session) -> None:
            pending = [
                line
                for line in s.exec(ledger.lines_in_force(self.budget(s))).all()
                if line.order_status == OrderStatus.pending
            ]
            if pending:
                line = pending[index % len(pending)]
                deliveries.decide_order(s, self.actor(s, "provider"), line.id, accept > 0)  # type: ignore[arg-type]

        self.do(decide)

    # --- deliveries ------------------------------------------------------------------
    def report(self, index: int, units: int, day: int) -> None:
        bad = day >= len(DAYS)
        delivered_on = BAD_DAYS[day % len(BAD_DAYS)] if bad else DAYS[day]

        def report(s: Session) -> Delivery | None:
            lines = [
                line
                for line in s.exec(ledger.lines_in_force(self.budget(s))).all()
                if line.order_status == OrderStatus.accepted
            ]
            if not lines:
                return None
            line = lines[index % len(lines)]
            provider = self.actor(s, "provider")
            return deliveries.report_delivery(
                s,
                provider,
                line.id,
                delivered_on,
                units,
                "",
                TODAY,  # type: ignore[arg-type]
            )

        result = self.do(report)
        if isinstance(result, Delivery):
            assert not bad, f"a delivery dated {delivered_on} was taken"
            self.note(result.id, S.reported)  # type: ignore[arg-type]

    def confirm(self, index: int) -> None:
        delivery_id = self.chosen(index, S.reported)
        if delivery_id is not None:
            result = self.do(
                lambda s: deliveries.accept(s, self.actor(s, "client"), self.budget(s), delivery_id)
            )
            if not isinstance(result, AppError):
                self.note(delivery_id, S.confirmed)

    def dispute(self, index: int) -> None:
        delivery_id = self.chosen(index, S.reported)
        if delivery_id is not None:
            result = self.do(
                lambda s: disputes.dispute(
                    s,
                    self.actor(s, "client"),
                    self.budget(s),
                    delivery_id,
                    "Ei pidä paikkaansa",
                )
            )
            assert not isinstance(result, AppError), result
            self.note(delivery_id, S.disputed)

    def answer_dispute(self, index: int, answer: str, units: int, day: int) -> None:
        delivery_id = self.chosen(index, S.disputed)
        if delivery_id is None:
            return

        def call(s: Session) -> Delivery:
            provider = self.actor(s, "provider")
            if answer == "correct":
                return disputes.correct(s, provider, delivery_id, DAYS[day], units, "", TODAY)
            if answer == "withdraw":
                return disputes.withdraw(s, provider, delivery_id, "")
            return disputes.contest(s, provider, delivery_id, "")

        result = self.do(call)
        if isinstance(result, AppError):
            assert answer == "correct", result  # only a correction is checked like a report
            return
        if answer == "correct":
            self.note(delivery_id, S.corrected)
            self.note(result.id, S.reported)  # type: ignore[arg-type]
        else:
            self.note(delivery_id, S.withdrawn if answer == "withdraw" else S.contested)

    def decide_dispute(self, index: int, outcome: disputes.Outcome, units: int) -> None:
        delivery_id = self.chosen(index, S.contested)
        if delivery_id is None:
            return
        result = self.do(
            lambda s: disputes.decide(
                s, self.actor(s, "worker"), self.budget(s), delivery_id, outcome, "", units
            )
        )
        if isinstance(result, AppError):
            return
        if outcome == disputes.Outcome.accept:
            self.note(delivery_id, S.confirmed)
        elif outcome == disputes.Outcome.reduce:
            self.note(delivery_id, S.corrected)
            self.note(result.id, S.confirmed)
        else:
            self.note(delivery_id, S.rejected)

    def auto_accept(self) -> None:
        waiting = self.deliveries_in(S.reported)
        accepted, _refused = self.do(lambda s: deliveries.auto_accept_job(s, LATER))
        with Session(self.engine) as s:
            now = {
                d.id: d.status
                for d in s.exec(select(Delivery).where(col(Delivery.id).in_(waiting)))
            }
        for delivery_id, status in now.items():
            assert status in (S.reported, S.auto_accepted), (delivery_id, status)
            self.note(delivery_id, status)  # type: ignore[arg-type]
        assert accepted >= sum(s == S.auto_accepted for s in now.values())

    def race(self, index: int) -> None:
        """Confirm, dispute and auto-accept of one delivery at once, twice each: one wins."""
        delivery_id = self.chosen(index, S.reported)
        if delivery_id is None:
            return
        client = self.ids["client"]

        def confirm(s: Session) -> Any:
            return deliveries.accept(s, load_actor(s, client), self.budget(s), delivery_id)  # type: ignore[arg-type]

        def dispute(s: Session) -> Any:
            actor = load_actor(s, client)
            return disputes.dispute(s, actor, self.budget(s), delivery_id, "x")  # type: ignore[arg-type]

        auto = lambda s: deliveries.auto_accept_job(s, LATER)  # noqa: E731
        results = burst(self.engine, [confirm, dispute, auto, confirm, dispute, auto], workers=6)
        confirmed = [r for r in results[0::3] if not isinstance(r, AppError)]
        disputed = [r for r in results[1::3] if not isinstance(r, AppError)]
        with Session(self.engine) as s:
            status = s.get(Delivery, delivery_id).status  # type: ignore[union-attr]
        assert len(disputed) <= 1, results
        if status == S.disputed:
            assert disputed and not confirmed, results
        elif status in limits.DONE:
            assert not disputed, results
        else:  # both refused: the confirmation would overdraw
            assert not disputed and not confirmed, results
        self.status[delivery_id] = status
        for other in self.deliveries_in(S.reported):  # auto-accept takes the others too
            with Session(self.engine) as s:
                self.note(other, s.get(Delivery, other).status)  # type: ignore[union-attr]

    def reverse(self, index: int) -> None:
        """A reversing entry for a paid delivery (what a later correction posts): never an
        edit, once per delivery."""
        delivery_id = self.chosen(index, S.confirmed, S.auto_accepted)
        if delivery_id is None or delivery_id in self.reversed:
            return

        def post(s: Session) -> int:
            budget = ledger.lock_budget(s, self.budget(s))
            delivery = s.get(Delivery, delivery_id)
            line = s.get(PlanLine, delivery.plan_line_id)  # type: ignore[union-attr]
            amount = delivery.budget_cents  # type: ignore[union-attr]
            key = f"reversal:{delivery_id}"
            ledger.post(s, budget, EntryKind.correction, amount, key, delivery=delivery, line=line)
            return amount

        self.reversed[delivery_id] = self.do(post)
