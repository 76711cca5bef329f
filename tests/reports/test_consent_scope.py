"""Every evaluation report counts only clients whose research consent is in force now: one
client withdraws and leaves each report's figures; giving consent again brings them back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session

from app.demo.cohort_rows import insert_clients
from app.demo.cohort_specs import ClientSpec, LineSpec, TimeSpec
from app.models.actor import Actor
from app.models.report import TimeRole, TimeTask
from app.models.user import Role
from app.services.identity.users import load_actor
from app.services.reports import costs, effects, goal_attainment, indicators
from app.services.reports import data as report_data
from app.services.reports.periods import HalfYear
from app.services.research import consent
from tests.support.budget_world import build, user

FRAME_AT = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
N = 6  # six consenting clients: one withdrawal leaves five, still shown


def _cohort(session: Session) -> tuple[Actor, list[int]]:
    world = build(session, code="scope")
    admin = user(session, "Admin", Role.admin, organiser_id=world.organiser.id)
    offer = world.offer(1_000)
    worker = world.case_worker.id
    assert worker is not None
    specs = [
        ClientSpec(
            name=f"K{i}",
            group="disability",
            worker_id=worker,
            enrol=False,
            frame_cents=100_000,
            frame_at=FRAME_AT,
            days_to_confirmation=10,
            first_scores={"general": 5.0},
            latest_scores={"general": 6.0 + i},
            experience_scores={"heard": 7.0},
            goals=[(-1, 0)],
            lines=[LineSpec(offer, 10_000, 1_000 * (i + 1))],
            time=[TimeSpec(TimeRole.worker, TimeTask.meeting, 60, 5)],
            synthetic=False,
        )
        for i in range(N)
    ]
    ids = insert_clients(session, world.organiser, specs)
    actor = load_actor(session, admin.id)  # type: ignore[arg-type]
    assert actor is not None
    return actor, ids


def _indicators(session: Session, actor: Actor) -> object:
    snap = report_data.load(session, actor, "indicators")
    periods = [HalfYear(2025, 1), HalfYear(2025, 2)]
    report = indicators.build(session, actor, snap, periods)
    by = {r.code: r for r in report.rows}
    return (
        max(by["A1"].cells[p.key].value or 0 for p in periods),
        sum(by["C31"].cells[p.key].value or 0 for p in periods),
    )


def _effects(session: Session, actor: Actor) -> object:
    snap = report_data.load(session, actor, "provider_effects")
    return [(r.clients, r.wellbeing.value) for r in effects.by_provider(session, snap)]


def _goals(session: Session, actor: Actor) -> object:
    snap = report_data.load(session, actor, "goal_attainment")
    return [(r.key, r.n) for r in goal_attainment.distribution(snap, "group")]


def _costs(session: Session, actor: Actor) -> object:
    snap = report_data.load(session, actor, "costs")
    s = costs.summary(snap, date(2025, 1, 1), date(2026, 1, 1))
    return (s.spend_cents.value, s.clients_served.value, s.time[0].clients.value)


REPORTS: dict[str, Callable[[Session, Actor], object]] = {
    "indicators": _indicators,
    "provider_effects": _effects,
    "goal_attainment": _goals,
    "costs": _costs,
}
# With all six / without the sixth client (who had 6 000 c delivered and wellbeing +6).
EXPECTED = {
    "indicators": ((6, 21_000), (5, 15_000)),
    "provider_effects": ([(6, 3.5)], [(5, 3.0)]),
    "goal_attainment": ([("disability", 6)], [("disability", 5)]),
    "costs": ((21_000, 6, 6), (15_000, 5, 5)),
}


@pytest.mark.parametrize("report", sorted(REPORTS))
def test_withdrawal_takes_the_client_out_of_the_report(session: Session, report: str) -> None:
    actor, ids = _cohort(session)
    figures = REPORTS[report]
    assert figures(session, actor) == EXPECTED[report][0]
    snap = report_data.load(session, actor, report)
    # the world's own client has never consented: counted in N, not in n
    assert (snap.counted, snap.eligible) == (N, N + 1)
    leaver = load_actor(session, ids[-1])
    assert leaver is not None
    consent.set_own(session, leaver, False)
    assert figures(session, actor) == EXPECTED[report][1]
    assert report_data.load(session, actor, report).counted == N - 1
    consent.set_own(session, leaver, True)
    assert figures(session, actor) == EXPECTED[report][0]
