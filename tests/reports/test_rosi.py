"""ROSI = (cost savings − intervention costs) / intervention costs, with the seed's figures."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlmodel import Session

from app.models.ledger import DeliveryStatus
from app.models.report import ReferenceCost, TimeEntry, TimeRole, TimeTask
from app.models.user import Role
from app.services.identity.users import load_actor
from app.services.reports import costs, rosi
from app.services.reports.data import ClientInfo, DeliveryRow, Scored, Snapshot
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
    # The self-assessment tool is a cost of the intervention (seed 000), never a saving.
    assert costs.savings(refs(), {"self-assessment-tool": Decimal(200)}) == 0
    assert costs.kind("self-assessment-tool") == costs.TOOL


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_default_reference_costs_are_the_seed_figures(session: Session) -> None:
    world = build(session)
    admin = user(session, "Pekka", Role.admin, organiser_id=world.organiser.id)
    actor = load_actor(session, admin.id)  # type: ignore[arg-type]
    assert actor is not None
    rows = costs.reference_costs(session, actor)
    stored = {r.key: r.yearly_cents for r in rows}
    assert {k: stored[k] for k in SEED_EUROS} == {k: v * 100 for k, v in SEED_EUROS.items()}
    # and the hourly costs of time use, one per role (examples the admin replaces)
    assert {k for k in stored if costs.kind(k) == costs.HOURLY} == set(costs.HOURLY_KEYS.values())
    assert costs.reference_costs(session, actor)[0].id == rows[0].id  # stored once
    costs.update_reference_costs(session, actor, {rows[0].id: 140_000_00})  # type: ignore[dict-item]
    assert costs.reference_costs(session, actor)[0].yearly_cents == 140_000_00


# --- ROSI from recorded data: a small cohort computed by hand ------------------------------


def _cohort() -> Snapshot:
    snap = Snapshot(organiser_ids={1})
    for i in (1, 2, 3):
        snap.clients[i] = ClientInfo(i, None, "disability", comparison=False)
    snap.clients[4] = ClientInfo(4, None, "disability", comparison=True)

    def delivery(client: int, cents: int, day: date, status: DeliveryStatus) -> DeliveryRow:
        return DeliveryRow(client, 1, 10, day, 1, cents, status)

    snap.deliveries = [
        delivery(1, 100_000, date(2025, 3, 1), DeliveryStatus.confirmed),
        delivery(2, 50_000, date(2025, 6, 1), DeliveryStatus.auto_accepted),
        delivery(2, 10_000, date(2025, 6, 2), DeliveryStatus.disputed),  # not realised
        delivery(3, 30_000, date(2024, 12, 31), DeliveryStatus.confirmed),  # before the period
    ]

    def spent(client: int, role: TimeRole, minutes: int) -> TimeEntry:
        return TimeEntry(
            client_id=client, organiser_id=1, role=role, task=TimeTask.meeting,
            minutes=minutes, spent_on=date(2025, 5, 1), recorded_by_id=9,
        )  # fmt: skip

    snap.time = [
        spent(1, TimeRole.worker, 90),
        spent(2, TimeRole.worker, 30),
        spent(1, TimeRole.assistant, 45),
        spent(2, TimeRole.client, 60),
        spent(4, TimeRole.worker, 60),  # the comparison group is not the intervention
    ]
    when = datetime(2025, 4, 1, 12, tzinfo=UTC)
    snap.life = [
        Scored(1, when, 5.0),
        Scored(2, when, 6.0),
        Scored(4, when, 6.0),  # comparison
        Scored(3, datetime(2024, 11, 1, tzinfo=UTC), 5.0),  # before the period
    ]
    return snap


def test_rosi_from_recorded_data_by_hand() -> None:
    references = refs() + [
        ReferenceCost(organiser_id=1, key="hour-worker", label={}, yearly_cents=45_00),
        ReferenceCost(organiser_id=1, key="hour-assistant", label={}, yearly_cents=20_00),
        ReferenceCost(organiser_id=1, key="hour-client", label={}, yearly_cents=0),
    ]
    avoided = {"marginalised-youth": Decimal("0.25"), "self-assessment-tool": Decimal(200)}
    calc = rosi.inputs(_cohort(), references, avoided, date(2025, 1, 1), date(2026, 1, 1))
    assert calc.spend_cents == 150_000  # 1 000 € + 500 €; the disputed and the earlier left out
    time = {t.role: (t.minutes, t.cents) for t in calc.time}
    # worker 120 min × 45 €/h = 90 €; assistant 45 min × 20 €/h = 15 €; client 60 min × 0
    assert time == {
        TimeRole.worker: (120, 9_000),
        TimeRole.assistant: (45, 1_500),
        TimeRole.client: (60, 0),
    }
    # the tool: 2 clients assessed in the period × 30 € × 1 year = 60 €, a cost
    assert (calc.tool_clients, calc.years, calc.tool_cents) == (2, Decimal(1), 6_000)
    assert calc.intervention_cents == 166_500
    # savings: a quarter of a marginalised young person's year, 20 000 € × 0.25 = 5 000 €;
    # the tool typed as "prevented" saves nothing
    assert calc.savings_cents == 500_000
    # (5 000 − 1 665) / 1 665 = 2.003
    assert calc.result() == Decimal("2.00")
    empty = rosi.inputs(Snapshot(organiser_ids={1}), references, avoided, date(2025, 1, 1),
                        date(2026, 1, 1))  # fmt: skip
    with pytest.raises(costs.NoCosts):
        empty.result()
