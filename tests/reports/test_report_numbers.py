"""Report figures against hand-computed fixtures (pure: a hand-built snapshot, no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from app.models.budget import Budget, PlanAction, PlanEvent
from app.models.goal import Goal, GoalCheckIn, GoalStatus
from app.models.ledger import DeliveryStatus
from app.models.organiser import Category
from app.models.report import TimeEntry, TimeRole, TimeTask
from app.services import disclosure
from app.services.reports import goal_attainment, indicators
from app.services.reports.data import ClientInfo, DeliveryRow, Scored, Snapshot
from app.services.reports.effects import wellbeing_changes
from app.services.reports.periods import HalfYear, half_years
from app.services.stats import mean_ci

H1 = HalfYear(2026, 1)
H2 = HalfYear(2026, 2)


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 12, tzinfo=UTC)


def snapshot(n_clients: int, comparison: int = 0) -> Snapshot:
    snap = Snapshot(organiser_ids={1})
    for i in range(1, n_clients + comparison + 1):
        snap.clients[i] = ClientInfo(
            i, "091" if i % 2 else "049", "disability", comparison=i > n_clients
        )
    snap.categories = {
        10: Category(id=10, organiser_id=1, slug="home", name={"fi": "Koti"}, is_main=True),
        11: Category(
            id=11, organiser_id=1, slug="home-sub", name={"fi": "A"}, is_main=False, parent_id=10
        ),
    }
    return snap


def with_budgets(snap: Snapshot, clients: list[int]) -> None:
    for c in clients:
        snap.budgets.append(
            Budget(
                id=100 + c,
                client_id=c,
                organiser_id=1,
                period_start=date(2026, 1, 1),
                period_end=date(2026, 12, 31),
            )
        )


def event(budget: int, action: PlanAction, when: datetime) -> PlanEvent:
    return PlanEvent(budget_id=budget, action=action, actor_id=1, occurred_at=when)


# --- statistics -----------------------------------------------------------------------------


def test_mean_ci_by_hand() -> None:
    # mean 3, sd √2.5 = 1.5811, se 0.7071, t(4) = 2.776 -> ±1.963
    est = mean_ci([1, 2, 3, 4, 5]).rounded(2)
    assert (est.value, est.n, est.low, est.high) == (3.0, 5, 1.04, 4.96)
    assert mean_ci([]).value is None
    single = mean_ci([7.0])
    assert single.value == 7.0 and single.low is None


def test_half_years() -> None:
    assert HalfYear.of(date(2026, 6, 30)) == H1
    assert HalfYear.of(date(2026, 7, 1)) == H2
    assert HalfYear.parse("2026H2") == H2
    assert HalfYear.parse("2026H3") is None and HalfYear.parse("x") is None
    assert [p.key for p in half_years(HalfYear(2025, 2), H2)] == ["2025H2", "2026H1", "2026H2"]
    assert len(half_years(HalfYear(2020, 1), H2, limit=4)) == 4


# --- suppression ----------------------------------------------------------------------------


def test_min_cell_is_five() -> None:
    assert disclosure.MIN_CELL == 5
    assert disclosure.count(4).suppressed and disclosure.count(4).value is None
    assert not disclosure.count(5).suppressed and disclosure.count(5).value == 5
    assert disclosure.count(0).value == 0 and not disclosure.count(0).suppressed
    assert disclosure.cell(12.5, 3).value is None


def test_indicator_counts_suppress_below_five() -> None:
    for n, expected in ((4, None), (5, 5)):
        snap = snapshot(n)
        with_budgets(snap, list(range(1, n + 1)))
        snap.events = [event(100 + c, PlanAction.confirmed, at(2026, 2, 1)) for c in snap.clients]
        cell = indicators.clients_with_budget(snap, H1)
        assert cell.value == expected
        assert cell.suppressed == (expected is None)


# --- the core indicators --------------------------------------------------------------------


def test_plan_acceptability_and_days_to_confirmation() -> None:
    snap = snapshot(6)
    with_budgets(snap, list(range(1, 7)))
    for c in range(1, 7):
        snap.events.append(event(100 + c, PlanAction.frame_set, at(2026, 1, 10)))
    # Clients 1-4 confirmed at once; 5 and 6 returned first, then confirmed.
    days = {1: 10, 2: 20, 3: 30, 4: 40, 5: 50, 6: 60}
    for c in range(1, 7):
        if c >= 5:
            snap.events.append(event(100 + c, PlanAction.returned, at(2026, 1, 15)))
        confirmed = at(2026, 1, 10) + timedelta(days=days[c] - 9)
        snap.events.append(event(100 + c, PlanAction.confirmed, confirmed))
    snap.events.sort(key=lambda e: e.occurred_at)
    b1 = indicators.confirmed_first_time(snap, H1)
    assert b1.value == Decimal("66.7") and b1.n == 6  # 4 of 6
    b2 = indicators.days_to_confirmation(snap, H1)
    # days: 1, 11, 21, 31, 41, 51 -> median (21 + 31) / 2 = 26
    assert b2.value == Decimal("26") and b2.n == 6
    assert indicators.confirmed_first_time(snap, H2).value is None


def test_wellbeing_change_and_experience() -> None:
    snap = snapshot(5, comparison=5)
    # Budget clients 1-5: first 4.0, latest 4.0 + c (in H1); change 1..5 -> mean 3, CI 1.04-4.96
    for c in range(1, 6):
        snap.life.append(Scored(c, at(2025, 10, 1), 4.0))
        snap.life.append(Scored(c, at(2026, 3, 1), 4.0 + c))
    cell = indicators.wellbeing_change(snap, H1)
    assert (cell.value, cell.n, cell.low, cell.high) == (3.0, 5, 1.04, 4.96)
    assert indicators.wellbeing_change(snap, H2).value is None
    # Experience: budget clients 6,7,8,9,10 -> mean 8; comparison 6 each; a second survey
    # of client 1 in the period replaces the first.
    for c in range(1, 6):
        snap.experience.append(Scored(c, at(2026, 2, 1), 1.0))
        snap.experience.append(Scored(c, at(2026, 4, 1), 5.0 + c))
    for c in range(6, 11):
        snap.experience.append(Scored(c, at(2026, 4, 1), 6.0))
    assert indicators.experience(snap, H1).value == 8.0
    assert indicators.experience_comparison(snap, H1).value == 6.0
    # Four comparison answers only: suppressed.
    snap.experience = [s for s in snap.experience if s.client_id != 10]
    assert indicators.experience_comparison(snap, H1).suppressed


def test_goal_attainment_t_scores() -> None:
    snap = snapshot(5)
    for c in range(1, 6):
        goal = Goal(id=c, client_id=c, what="g", baseline_level=-1, created_at=at(2026, 1, 2))
        snap.goals.append(goal)
        level = 0 if c <= 4 else 2
        snap.check_ins[c] = [GoalCheckIn(goal_id=c, level=level, recorded_at=at(2026, 3, 1))]
    # One goal: T = 50 + 10·x / √(0.7 + 0.3) = 50 + 10x -> four at 50, one at 70: mean 54
    cell = indicators.goal_attainment(snap, H1)
    assert cell.value == 54.0 and cell.n == 5
    assert snap.t_score(5, at(2026, 2, 1)) == 40.0  # before the check-in: the baseline -1
    # A comparison-group client's goals are not counted with the budget clients.
    snap.clients[6] = ClientInfo(6, "091", "disability", comparison=True)
    snap.goals.append(Goal(id=6, client_id=6, what="g", baseline_level=2))
    snap.check_ins[6] = [GoalCheckIn(goal_id=6, level=2, recorded_at=at(2026, 3, 1))]
    assert indicators.goal_attainment(snap, H1).value == 54.0


def test_time_spend_volumes_and_disputes() -> None:
    snap = snapshot(6)
    for c in range(1, 6):
        snap.time.append(
            TimeEntry(
                client_id=c,
                organiser_id=1,
                role=TimeRole.worker,
                task=TimeTask.meeting,
                minutes=30 * c,
                spent_on=date(2026, 3, 1),
                recorded_by_id=99,
            )
        )
    # 30+60+90+120+150 = 450 minutes over 5 clients = 90
    assert indicators.worker_minutes(snap, H1).value == Decimal("90")
    for c in range(1, 7):
        snap.deliveries.append(
            DeliveryRow(c, 1, 11, date(2026, 5, 1), 2, 10_000 + c, DeliveryStatus.confirmed)
        )
    snap.deliveries.append(DeliveryRow(1, 1, 10, date(2026, 5, 2), 1, 999, DeliveryStatus.reported))
    spend = indicators.spend(snap, H1)
    assert spend.value == 60_021 and spend.n == 6  # 6 × 10 000 + (1+…+6)
    assert indicators.spend(snap, H1, category=10).value == 60_021  # sub-category rolls up
    assert indicators.clients_served(snap, H1).value == 6
    assert indicators.disputed(snap, H1).value == 0
    for c in range(1, 4):
        snap.deliveries.append(
            DeliveryRow(c, 1, 10, date(2026, 5, 3), 1, 0, DeliveryStatus.disputed)
        )
    assert indicators.disputed(snap, H1).suppressed  # three clients


def test_downloads_mark_suppressed_cells() -> None:
    snap = snapshot(3)
    report = indicators.Report(periods=[H1], rows=[], comments={("A", "2026H1"): "Hyvä"})
    row = indicators.Row(
        "A1", "A", "Clients", "count", {"2026H1": indicators.clients_served(snap, H1)}
    )
    report.rows.append(row)
    snap.deliveries = [
        DeliveryRow(c, 1, 10, date(2026, 5, 1), 1, 1, DeliveryStatus.confirmed) for c in (1, 2)
    ]
    row.cells["2026H1"] = indicators.clients_served(snap, H1)
    lines = indicators.table(report, str)
    assert ["A", "A1", "Clients", "count", "<5", None] in lines  # the last column: target
    assert ["A", "comment", "", "", "Hyvä", ""] in lines
    assert "<5" in indicators.to_csv(lines)
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(indicators.to_xlsx(lines))).active
    assert sheet is not None and sheet.cell(1, 5).value == "2026H1"


# --- group-level goal attainment and effects ------------------------------------------------


def _goals(snap: Snapshot, levels: dict[int, int]) -> None:
    for c, level in levels.items():
        snap.goals.append(Goal(id=c, client_id=c, what="g", baseline_level=level))


def test_goal_distribution_by_unit_with_suppression() -> None:
    snap = snapshot(14)
    # Unit "091" (odd ids 1..13, 7 clients), unit "049" (even ids 2..14, 7 clients).
    levels = {1: -2, 3: -1, 5: 0, 7: 0, 9: 1, 11: 2, 13: 2}
    levels.update({2: 0, 4: 0, 6: 0, 8: 0, 10: 0, 12: 0})  # 6 in "049"; client 14 has no goals
    _goals(snap, levels)
    rows = {r.key: r for r in goal_attainment.distribution(snap, "unit")}
    unit = rows["091"]
    # T: 30, 40, 50, 50, 60, 70, 70 -> mean 52.86; bands 1 / 1 / 2 / 3 -> all but 60+ hidden
    assert unit.n == 7 and unit.mean.value == 52.86
    assert unit.bands["60plus"].suppressed  # 3 clients
    assert unit.bands["under40"].suppressed and unit.bands["40to50"].suppressed
    other = rows["049"]
    assert other.n == 6 and other.mean.value == 50.0
    assert other.bands["50to60"].value == 6 and other.percent("50to60") == 100.0


def test_secondary_suppression_hides_a_second_band() -> None:
    snap = snapshot(12)
    levels = dict.fromkeys(range(1, 12), 0)  # 11 clients at 50
    levels[12] = 2  # one at 70
    for c in snap.clients:
        snap.clients[c] = ClientInfo(c, "091", "g", False)
    _goals(snap, levels)
    (row,) = goal_attainment.distribution(snap, "group")
    assert row.bands["60plus"].suppressed
    assert row.bands["50to60"].suppressed  # else 12 - 11 would reveal the hidden one


def test_small_group_is_hidden_entirely() -> None:
    snap = snapshot(4)
    _goals(snap, dict.fromkeys(range(1, 5), 0))
    (row,) = goal_attainment.distribution(snap, "group")
    assert row.suppressed and row.mean.value is None and row.percent("50to60") == 0.0


def test_wellbeing_changes_need_two_assessments() -> None:
    snap = snapshot(2)
    snap.life = [Scored(1, at(2026, 1, 1), 3.0), Scored(1, at(2026, 5, 1), 5.5)]
    snap.life.append(Scored(2, at(2026, 1, 1), 3.0))
    assert wellbeing_changes(snap) == {1: 2.5}


@pytest.mark.parametrize("status", [GoalStatus.dropped, GoalStatus.changed])
def test_dropped_goals_do_not_count(status: GoalStatus) -> None:
    snap = snapshot(1)
    snap.goals = [Goal(id=1, client_id=1, what="g", baseline_level=0, status=status)]
    assert snap.t_score(1) is None
