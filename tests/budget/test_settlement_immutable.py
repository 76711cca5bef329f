"""Approved settlements can't change underneath: on PostgreSQL the database refuses any change
of their lines (triggers of migration 0019); on SQLite `ledger verify` finds one against the
seal taken at the approval, even when the change leaves `updated_at` alone."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from app.models.settlement import SettlementStatus
from app.models.user import Role
from app.services.budget import deliveries, settlement
from tests.budget.test_late_disputes import PRICE, _paid
from tests.support.budget_world import TODAY, BudgetWorld, build, user


@pytest.fixture
def world(session: Session) -> BudgetWorld:
    return build(session, code="seal")


def _approved(world: BudgetWorld) -> int:
    s = world.session
    admin = world.actor(user(s, "Anna", Role.admin, organiser_id=world.organiser.id))
    _paid(world)
    [june] = settlement.month_details(s, admin, TODAY.year, TODAY.month)
    sid = june.settlement.id
    assert sid is not None
    settlement.advance(s, admin, sid, SettlementStatus.approved, 2 * PRICE)
    settlement.advance(s, admin, sid, SettlementStatus.sent)
    settlement.advance(s, admin, sid, SettlementStatus.paid)
    s.commit()
    return sid


TAMPER = {
    "update": "UPDATE settlement_line SET budget_cents = 1 WHERE settlement_id = :sid",
    "delete": (
        "DELETE FROM settlement_entry WHERE settlement_line_id IN"
        " (SELECT id FROM settlement_line WHERE settlement_id = :sid);"
        "DELETE FROM settlement_line WHERE settlement_id = :sid"
    ),
    "insert": (
        "INSERT INTO settlement_line (created_at, updated_at, settlement_id, delivery_id,"
        " client_ref, service, delivered_on, units, unit_price_cents, budget_cents,"
        " own_share_cents, adjustment) SELECT created_at, updated_at, settlement_id,"
        " delivery_id, client_ref, service, delivered_on, units, unit_price_cents,"
        " budget_cents, own_share_cents, adjustment FROM settlement_line WHERE settlement_id = :sid"
    ),
    "unlink": (
        "DELETE FROM settlement_entry WHERE settlement_line_id IN"
        " (SELECT id FROM settlement_line WHERE settlement_id = :sid)"
    ),
    "reseal": "UPDATE settlement SET approved_digest = 'x' WHERE id = :sid",
}


def _tamper(s: Session, change: str, sid: int) -> None:
    for statement in TAMPER[change].split(";"):
        s.execute(text(statement), {"sid": sid})


def test_an_approved_settlement_is_sealed_and_verifies(world: BudgetWorld) -> None:
    sid = _approved(world)
    found = world.session.get(settlement.Settlement, sid)
    assert found is not None and found.approved_digest and len(found.approved_digest) == 64
    assert settlement.verify(world.session) == []


@pytest.mark.parametrize("change", sorted(TAMPER))
def test_a_change_of_an_approved_settlement_is_refused_or_found(
    world: BudgetWorld, change: str
) -> None:
    s = world.session
    sid = _approved(world)
    if s.get_bind().dialect.name == "postgresql":
        refused = pytest.raises(DBAPIError, match="can not be changed|can not be deleted")
        with refused, s.begin_nested():
            _tamper(s, change, sid)
        assert settlement.verify(s) == []
        return
    _tamper(s, change, sid)
    s.expire_all()
    problems = [p.problem for p in settlement.verify(s)]
    assert f"settlement {sid} changed after approval" in problems


def test_an_open_settlement_still_takes_in_new_entries(world: BudgetWorld) -> None:
    s = world.session
    admin = world.actor(user(s, "Anna", Role.admin, organiser_id=world.organiser.id))
    budget, line, _delivery = _paid(world)
    provider, client = world.actor(world.provider_user), world.actor(world.client)
    more = deliveries.report_delivery(s, provider, line.id, TODAY, 1, "", TODAY)  # type: ignore[arg-type]
    deliveries.accept(s, client, budget, more.id)  # type: ignore[arg-type]
    [june] = settlement.month_details(s, admin, TODAY.year, TODAY.month)
    assert june.settlement.status == SettlementStatus.open and june.total_cents == 3 * PRICE
    s.commit()
    assert settlement.verify(s) == []
