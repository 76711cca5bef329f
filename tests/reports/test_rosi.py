"""ROSI = (cost savings − intervention costs) / intervention costs, with the seed's figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import Session

from app.models.report import ReferenceCost
from app.models.user import Role
from app.services.identity.users import load_actor
from app.services.reports import costs
from tests.support.budget_world import build, user

# DOMAIN.md: child in care 130 000 €/year, substance-abuse institution 61 000, prison 78 000,
# marginalised young person 20 000, a self-assessment tool 30 €/client/year.
SEED_EUROS = {
    "child-in-care": 130_000,
    "substance-institution": 61_000,
    "prison": 78_000,
    "marginalised-youth": 20_000,
    "self-assessment-tool": 30,
}


def refs() -> list[ReferenceCost]:
    return [
        ReferenceCost(organiser_id=1, key=k, label={"fi": k}, yearly_cents=v * 100)
        for k, v in SEED_EUROS.items()
    ]


def test_rosi_formula() -> None:
    # One child's year in care prevented (130 000 €) for 50 000 € of services: 1.60
    assert costs.rosi(130_000_00, 50_000_00) == Decimal("1.60")
    assert costs.rosi(50_000_00, 50_000_00) == Decimal("0.00")
    assert costs.rosi(25_000_00, 50_000_00) == Decimal("-0.50")
    with pytest.raises(costs.NoCosts):
        costs.rosi(1, 0)


def test_savings_from_reference_costs() -> None:
    avoided = {"child-in-care": Decimal(1), "marginalised-youth": Decimal(2)}
    saved = costs.savings(refs(), avoided)
    assert saved == 170_000_00  # 130 000 + 2 × 20 000
    # A year of prison and half a year of institutional care against 61 000 € of services:
    # (78 000 + 30 500 − 61 000) / 61 000 = 0.7787 -> 0.78
    saved = costs.savings(refs(), {"prison": Decimal(1), "substance-institution": Decimal("0.5")})
    assert saved == 108_500_00
    assert costs.rosi(saved, 61_000_00) == Decimal("0.78")
    # The self-assessment tool for 200 clients costs 6 000 €.
    assert costs.savings(refs(), {"self-assessment-tool": Decimal(200)}) == 6_000_00


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_default_reference_costs_are_the_seed_figures(session: Session) -> None:
    world = build(session)
    admin = user(session, "Pekka", Role.admin, organiser_id=world.organiser.id)
    actor = load_actor(session, admin.id)  # type: ignore[arg-type]
    assert actor is not None
    rows = costs.reference_costs(session, actor)
    assert {r.key: r.yearly_cents for r in rows} == {k: v * 100 for k, v in SEED_EUROS.items()}
    assert costs.reference_costs(session, actor)[0].id == rows[0].id  # stored once
    costs.update_reference_costs(session, actor, {rows[0].id: 140_000_00})  # type: ignore[dict-item]
    assert costs.reference_costs(session, actor)[0].yearly_cents == 140_000_00
