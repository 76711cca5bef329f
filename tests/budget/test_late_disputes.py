"""A dispute of a delivery already paid (confirmed or accepted automatically), within its
window: it stays paid until the outcome; an outcome that takes the payment away posts a
reversing entry of each of its entries (the original entries are never edited), and when the
delivery's month is already approved the reversal is an adjustment line of the next
settlement. Both engines."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from app.models.budget import Budget, PlanLine
from app.models.ledger import (
    Delivery,
    DeliveryAction,
    DeliveryStatus,
    DisputeOutcome,
    EntryKind,
    LedgerEntry,
)
from app.models.settlement import SettlementStatus
from app.models.user import Role
from app.services.budget import deliveries, disputes, ledger, plan, settlement
from app.services.identity.mandates import today as finnish_today
from tests.support.budget_world import TODAY, BudgetWorld, build, user

PRICE = 5_000
CONFIRMED = DeliveryStatus.confirmed


@pytest.fixture
def world(session: Session) -> BudgetWorld:
    return build(session, code="late")


def _paid(world: BudgetWorld, units: int = 2) -> tuple[Budget, PlanLine, Delivery]:
    """A 1 000 € budget, a line of 6 hours at 50 €, a delivery of `units` confirmed."""
    s = world.session
    budget = world.frame(100_000)
    client = world.actor(world.client)
    line = plan.add_line(s, client, budget, world.offer(PRICE).id, 6, 1, TODAY)  # type: ignore[arg-type]
    plan.submit(s, client, budget, "")
    plan.confirm(s, world.actor(world.case_worker), budget, "ok")
    provider = world.actor(world.provider_user)
    deliveries.decide_order(s, provider, line.id, True)  # type: ignore[arg-type]
    delivery = deliveries.report_delivery(s, provider, line.id, TODAY, units, "", TODAY)  # type: ignore[arg-type]
    deliveries.accept(s, client, budget, delivery.id)  # type: ignore[arg-type]
    return budget, line, delivery


def _dispute(world: BudgetWorld, budget: Budget, delivery: Delivery, contest: bool = False) -> None:
    client = world.actor(world.client)
    disputes.dispute(world.session, client, budget, delivery.id, "ei käynyt", seen=CONFIRMED)  # type: ignore[arg-type]
    if contest:
        disputes.contest(world.session, world.actor(world.provider_user), delivery.id, "kävi")  # type: ignore[arg-type]


def _entries(s: Session, budget: Budget) -> list[tuple[EntryKind, int, str]]:
    rows = s.exec(
        select(LedgerEntry)
        .where(LedgerEntry.budget_id == budget.id, LedgerEntry.kind != EntryKind.allocation)
        .order_by(col(LedgerEntry.id))
    ).all()
    return [(e.kind, e.amount_cents, e.idempotency_key) for e in rows]


def _clean(s: Session) -> None:
    assert ledger.verify(s) == []
    assert settlement.verify(s) == []


def test_a_paid_delivery_disputed_stays_paid_until_withdrawn_then_is_reversed(
    world: BudgetWorld,
) -> None:
    s = world.session
    budget, _line, delivery = _paid(world)
    _dispute(world, budget, delivery)
    assert delivery.status == DeliveryStatus.disputed
    assert ledger.balance(s, budget) == 100_000 - 2 * PRICE  # paid until the outcome
    _clean(s)
    disputes.withdraw(s, world.actor(world.provider_user), delivery.id, "väärä päivä")  # type: ignore[arg-type]
    assert ledger.balance(s, budget) == 100_000
    debit_key = f"delivery:{delivery.id}"
    assert _entries(s, budget) == [
        (EntryKind.delivery_debit, -2 * PRICE, debit_key),  # the original, as it was
        (EntryKind.correction, 2 * PRICE, f"reversal:{debit_key}"),
    ]
    actions = [row.event.action for row in disputes.history(s, delivery)]
    assert actions[-3:] == [
        DeliveryAction.disputed,
        DeliveryAction.reversed,
        DeliveryAction.withdrawn,
    ]
    _clean(s)


def test_after_approval_the_reversal_is_an_adjustment_of_the_next_settlement(
    world: BudgetWorld,
) -> None:
    s = world.session
    admin = world.actor(user(s, "Anna", Role.admin, organiser_id=world.organiser.id))
    budget, _line, delivery = _paid(world)
    [june] = settlement.month_details(s, admin, TODAY.year, TODAY.month)
    settlement.advance(s, admin, june.settlement.id, SettlementStatus.approved, 2 * PRICE)  # type: ignore[arg-type]
    _dispute(world, budget, delivery, contest=True)
    disputes.decide(
        s,
        world.actor(world.case_worker),
        budget,
        delivery.id,
        DisputeOutcome.reject,
        "ei",  # type: ignore[arg-type]
    )
    assert delivery.status == DeliveryStatus.rejected
    [june_again] = settlement.month_details(s, admin, TODAY.year, TODAY.month)
    assert [(ln.budget_cents, ln.units, ln.adjustment) for ln in june_again.lines] == [
        (2 * PRICE, 2, False)
    ]
    [july] = settlement.month_details(s, admin, TODAY.year, TODAY.month + 1)
    assert [(ln.delivery_id, ln.budget_cents, ln.units, ln.adjustment) for ln in july.lines] == [
        (delivery.id, -2 * PRICE, -2, True)
    ]
    _clean(s)


def test_fewer_units_reverse_the_old_payment_and_post_the_new(world: BudgetWorld) -> None:
    s = world.session
    budget, _line, delivery = _paid(world, units=3)
    _dispute(world, budget, delivery, contest=True)
    reduced = disputes.decide(
        s,
        world.actor(world.case_worker),
        budget,
        delivery.id,
        DisputeOutcome.reduce,
        "2 h",
        2,  # type: ignore[arg-type]
    )
    assert delivery.status == DeliveryStatus.corrected and reduced.status == CONFIRMED
    assert ledger.balance(s, budget) == 100_000 - 2 * PRICE
    assert [(kind, amount) for kind, amount, _key in _entries(s, budget)] == [
        (EntryKind.delivery_debit, -3 * PRICE),
        (EntryKind.correction, 3 * PRICE),
        (EntryKind.delivery_debit, -2 * PRICE),
    ]
    _clean(s)


def test_a_correction_reverses_and_goes_back_to_the_client(world: BudgetWorld) -> None:
    s = world.session
    budget, _line, delivery = _paid(world, units=3)
    _dispute(world, budget, delivery)
    provider = world.actor(world.provider_user)
    new = disputes.correct(s, provider, delivery.id, TODAY, 1, "1 h", TODAY)  # type: ignore[arg-type]
    assert new.status == DeliveryStatus.reported and ledger.balance(s, budget) == 100_000
    deliveries.accept(s, world.actor(world.client), budget, new.id)  # type: ignore[arg-type]
    assert ledger.balance(s, budget) == 100_000 - PRICE
    _clean(s)


def test_accepted_as_reported_posts_nothing_more_and_is_final(world: BudgetWorld) -> None:
    s = world.session
    budget, _line, delivery = _paid(world)
    _dispute(world, budget, delivery, contest=True)
    before = _entries(s, budget)
    worker = world.actor(world.case_worker)
    disputes.decide(s, worker, budget, delivery.id, DisputeOutcome.accept, "kävi")  # type: ignore[arg-type]
    assert delivery.status == CONFIRMED and _entries(s, budget) == before
    assert disputes.late_dispute_until(s, delivery) is None
    with pytest.raises(disputes.DisputeWindowClosed):
        _dispute(world, budget, delivery)
    _clean(s)


def test_the_units_stay_used_while_a_paid_delivery_is_disputed(world: BudgetWorld) -> None:
    s = world.session
    budget, line, delivery = _paid(world, units=5)
    _dispute(world, budget, delivery)
    provider = world.actor(world.provider_user)
    with pytest.raises(deliveries.TooManyUnits):  # 5 of 6 still paid: 2 more do not fit
        deliveries.report_delivery(s, provider, line.id, TODAY, 2, "", TODAY)  # type: ignore[arg-type]


def test_the_window_closes_and_a_stale_tab_can_not_dispute(world: BudgetWorld) -> None:
    s = world.session
    budget, _line, delivery = _paid(world)
    until = disputes.late_dispute_until(s, delivery)
    assert until is not None
    assert until - timedelta(days=disputes.LATE_DISPUTE_DAYS) == finnish_today()  # from payment
    client = world.actor(world.client)
    with pytest.raises(disputes.DisputeWindowClosed):
        disputes.dispute(
            s,
            client,
            budget,
            delivery.id,
            "",
            seen=CONFIRMED,
            today=until + timedelta(days=1),  # type: ignore[arg-type]
        )
    with pytest.raises(deliveries.AlreadyDecided):  # a tab that saw it before it was confirmed
        disputes.dispute(s, client, budget, delivery.id, "")  # type: ignore[arg-type]
    assert delivery.status == CONFIRMED
    assert disputes.late_dispute_dates(s, [delivery], until) == {delivery.id: until}
    assert disputes.late_dispute_dates(s, [delivery], until + timedelta(days=1)) == {}
