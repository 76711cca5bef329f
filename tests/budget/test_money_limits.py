"""Every limit is checked again when money moves: category shares (arm B), the frame when the
worker confirms, the line in force when a delivery is paid, a frame never below what is used."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.i18n import reset_locale, set_locale
from app.models.ledger import DeliveryStatus, LedgerEntry
from app.services.budget import deliveries, ledger, plan
from app.services.budget import frames as budget_service
from tests.budget.test_plan_and_ledger import _confirmed_line
from tests.support.budget_world import TODAY, BudgetWorld, build


@pytest.fixture
def world(session: Session) -> BudgetWorld:
    return build(session)


def test_a_plan_over_a_category_share_is_not_sent(world: BudgetWorld) -> None:
    # Arm B: 30 % of 100 € for category 0; 80 € planned there (the total fits).
    budget = world.frame(10_000, shares={world.categories[0].id: 3_000})  # type: ignore[dict-item]
    client = world.actor(world.client)
    offer = world.offer(8_000, category=0)
    plan.add_line(world.session, client, budget, offer.id, 1, 1, TODAY)  # type: ignore[arg-type]
    with pytest.raises(plan.CategoryOverShare):
        plan.submit(world.session, client, budget, "")


def test_a_sent_plan_is_checked_again_against_a_lowered_frame(world: BudgetWorld) -> None:
    budget = world.frame(10_000)
    client = world.actor(world.client)
    offer = world.offer(8_000)
    plan.add_line(world.session, client, budget, offer.id, 1, 1, TODAY)  # type: ignore[arg-type]
    plan.submit(world.session, client, budget, "")
    world.frame(5_000)
    with pytest.raises(plan.PlanNoLongerFits):
        plan.confirm(world.session, world.actor(world.case_worker), budget, "")


def test_a_delivery_for_a_line_the_new_version_removed_is_not_paid(world: BudgetWorld) -> None:
    budget, line = _confirmed_line(world, units=2)
    other = world.offer(1_000)
    client, worker = world.actor(world.client), world.actor(world.case_worker)
    provider = world.actor(world.provider_user)
    delivery = deliveries.report_delivery(
        world.session,
        provider,
        line.id,  # type: ignore[arg-type]
        TODAY,
        1,
        "",
        TODAY,
    )
    plan.add_line(world.session, client, budget, other.id, 1, 1, TODAY)  # type: ignore[arg-type]
    plan.remove_line(world.session, client, budget, line.id)  # type: ignore[arg-type]
    plan.submit(world.session, client, budget, "")
    plan.confirm(world.session, worker, budget, "")
    with pytest.raises(deliveries.limits.LineNotInForce):
        deliveries.accept(world.session, client, budget, delivery.id)  # type: ignore[arg-type]
    assert delivery.status == DeliveryStatus.reported
    keys = world.session.exec(select(LedgerEntry.idempotency_key)).all()
    assert f"delivery:{delivery.id}" not in keys


def test_a_delivery_is_paid_only_up_to_its_category_share(world: BudgetWorld) -> None:
    # 30 % of 100 € is 30 €; a 25 € line fits. The frame is then cut to 60 €: the share is
    # 18 €, and the 25 € delivery may not take the rest from other categories' money.
    budget = world.frame(10_000, shares={world.categories[0].id: 3_000})  # type: ignore[dict-item]
    client, worker = world.actor(world.client), world.actor(world.case_worker)
    offer = world.offer(2_500, category=0)
    line = plan.add_line(world.session, client, budget, offer.id, 1, 1, TODAY)  # type: ignore[arg-type]
    plan.submit(world.session, client, budget, "")
    plan.confirm(world.session, worker, budget, "")
    provider = world.actor(world.provider_user)
    deliveries.decide_order(world.session, provider, line.id, True)  # type: ignore[arg-type]
    delivery = deliveries.report_delivery(
        world.session,
        provider,
        line.id,  # type: ignore[arg-type]
        TODAY,
        1,
        "",
        TODAY,
    )
    world.frame(6_000, shares={world.categories[0].id: 3_000})  # type: ignore[dict-item]
    with pytest.raises(deliveries.Overdraw):
        deliveries.accept(world.session, client, budget, delivery.id)  # type: ignore[arg-type]


def test_a_frame_below_what_is_used_is_refused_with_the_numbers(world: BudgetWorld) -> None:
    budget, line = _confirmed_line(world, frame=100_000, price=5_000, units=10)
    provider, client = world.actor(world.provider_user), world.actor(world.client)
    paid = deliveries.report_delivery(world.session, provider, line.id, TODAY, 4, "", TODAY)  # type: ignore[arg-type]
    deliveries.accept(world.session, client, budget, paid.id)  # type: ignore[arg-type]
    deliveries.report_delivery(world.session, provider, line.id, TODAY, 2, "", TODAY)  # type: ignore[arg-type]
    with pytest.raises(budget_service.FrameBelowUsed) as refused:
        world.frame(25_000)
    token = set_locale("fi")
    try:
        text = refused.value.text()
    finally:
        reset_locale(token)
    assert "200,00" in text and "100,00" in text and "300,00" in text and "250,00" in text
    assert budget.frame_cents == 100_000 and ledger.balance(world.session, budget) == 80_000
    world.frame(30_000)  # exactly what is used: allowed


def test_a_line_costing_more_than_a_32_bit_integer_is_stored(world: BudgetWorld) -> None:
    # 1 000 units of a 25 000 € service: 25 M €, past PostgreSQL's INTEGER (cents BIGINT).
    budget = world.frame(2_147_483_647)
    offer = world.offer(2_500_000)
    client = world.actor(world.client)
    line = plan.add_line(world.session, client, budget, offer.id, 1_000, 1, TODAY)  # type: ignore[arg-type]
    world.session.flush()
    world.session.expire_all()
    stored = world.session.get(type(line), line.id)
    assert stored is not None and stored.cost_cents == 2_500_000_000


def test_a_frame_cut_that_would_overdraw_a_category_share_is_refused(world: BudgetWorld) -> None:
    # Arm B: 50 % of 200 € for category 0; 80 € paid from it. A 120 € frame covers the 80 €
    # in all, but would leave category 0 a 60 € share (found by tests/budget/test_money_model).
    shares = {world.categories[0].id: 5_000}
    budget = world.frame(20_000, shares=shares)  # type: ignore[arg-type]
    client, provider = world.actor(world.client), world.actor(world.provider_user)
    line = plan.add_line(world.session, client, budget, world.offer(2_000).id, 5, 1, TODAY)  # type: ignore[arg-type]
    plan.submit(world.session, client, budget, "")
    plan.confirm(world.session, world.actor(world.case_worker), budget, "")
    deliveries.decide_order(world.session, provider, line.id, True)  # type: ignore[arg-type]
    paid = deliveries.report_delivery(world.session, provider, line.id, TODAY, 4, "", TODAY)  # type: ignore[arg-type]
    deliveries.accept(world.session, client, budget, paid.id)  # type: ignore[arg-type]
    with pytest.raises(budget_service.CategoryBelowUsed) as refused:
        world.frame(12_000, shares=shares)  # type: ignore[arg-type]
    with pytest.raises(budget_service.CategoryBelowUsed):
        world.frame(20_000, shares={world.categories[0].id: 3_000})  # type: ignore[dict-item]
    token = set_locale("fi")
    try:
        text = refused.value.text()
    finally:
        reset_locale(token)
    assert "60,00" in text and "80,00" in text
    world.frame(16_000, shares=shares)  # type: ignore[arg-type]  # exactly what it paid: allowed
    assert ledger.verify(world.session) == []
