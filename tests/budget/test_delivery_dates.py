"""A delivery is dated inside its budget period and not in the future; the auto-accept clock
counts from the day the provider reported it, not from the date the provider wrote."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session

from app.services.budget import deliveries
from tests.budget.test_plan_and_ledger import _confirmed_line
from tests.support.budget_world import PERIOD, TODAY, BudgetWorld, build


@pytest.fixture
def world(session: Session) -> BudgetWorld:
    return build(session)


def test_delivery_date_in_the_future_is_refused(world: BudgetWorld) -> None:
    _budget, line = _confirmed_line(world)
    provider = world.actor(world.provider_user)
    with pytest.raises(deliveries.DeliveryInFuture):
        deliveries.report_delivery(
            world.session, provider, line.id, TODAY + timedelta(days=1), 1, "", today=TODAY
        )
    assert deliveries.report_delivery(world.session, provider, line.id, TODAY, 1, "", today=TODAY)


@pytest.mark.parametrize("day", [PERIOD[0] - timedelta(days=1), PERIOD[1] + timedelta(days=1)])
def test_delivery_date_outside_the_budget_period_is_refused(world: BudgetWorld, day: date) -> None:
    _budget, line = _confirmed_line(world)
    provider = world.actor(world.provider_user)
    with pytest.raises(deliveries.DeliveryOutsidePeriod):
        deliveries.report_delivery(
            world.session, provider, line.id, day, 1, "", today=PERIOD[1] + timedelta(days=30)
        )


def test_auto_accept_counts_from_the_report_not_the_backdated_delivery(world: BudgetWorld) -> None:
    budget, line = _confirmed_line(world)
    provider = world.actor(world.provider_user)
    backdated = deliveries.report_delivery(world.session, provider, line.id, PERIOD[0], 1, "")
    reported_on = backdated.created_at.date()
    days = world.organiser.delivery_auto_accept_days
    assert (reported_on - PERIOD[0]).days > days  # the delivery date alone would be overdue
    assert deliveries.auto_accept(world.session, reported_on + timedelta(days=days - 1)) == (0, 0)
    assert deliveries.auto_accept(world.session, reported_on + timedelta(days=days)) == (1, 0)
