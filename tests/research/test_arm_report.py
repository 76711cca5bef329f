"""The arm comparison: numbers against a hand-computed fixture, suppression, withdrawal."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from app import i18n
from app.demo.cohort_rows import insert_clients
from app.demo.cohort_specs import ClientSpec, LineSpec
from app.models.audit import AuditEvent
from app.models.research import Experiment
from app.models.user import Role
from app.services import stats
from app.services.identity.users import load_actor
from app.services.research import arm_report, consent, export
from tests.support.budget_world import BudgetWorld, build, user

FRAME_AT = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def test_wilson_and_t_intervals_by_hand():
    # 3 of 5: centre (0.6 + 3.8416/10) / 1.76832 = 0.55655;
    # half 1.96·√(0.24/5 + 3.8416/100) / 1.76832 = 0.32583
    p = stats.proportion_ci(3, 5)
    assert p.value == 0.6
    assert p.low == pytest.approx(0.23072, abs=1e-4)
    assert p.high == pytest.approx(0.88238, abs=1e-4)
    # 10, 20, 30, 40, 50: mean 30, sd √250, t(4) = 2.776 → 30 ± 19.629
    m = stats.mean_ci([10, 20, 30, 40, 50])
    assert m.value == 30
    assert m.low == pytest.approx(10.371, abs=1e-3)
    assert m.high == pytest.approx(49.629, abs=1e-3)
    # between table rows t is the exact quantile, not the next smaller row (2.042) or 1.96
    assert round(stats.t95(35), 3) == 2.030 and round(stats.t95(500), 3) == 1.965


def _outcome(cid: int, arm: str, **kw: object) -> arm_report.Outcome:
    return arm_report.Outcome(client_id=cid, frame_arm=arm, teaming=False, **kw)  # type: ignore[arg-type]


def test_summarise_suppresses_cells_under_five():
    outcomes = [_outcome(i, "A", first_confirmed=True) for i in range(5)]
    outcomes += [_outcome(10 + i, "B", first_confirmed=True) for i in range(4)]
    rows = arm_report.summarise(outcomes, [])
    by = {(r.question, r.arm, r.group): r for r in rows}
    a = by[("frame", "A", "independent")]
    b = by[("frame", "B", "independent")]
    assert a.n == 5 and not a.suppressed and not a.metrics["acceptability"].suppressed
    assert b.n == 4 and b.suppressed and b.metrics["acceptability"].suppressed
    # A value with data from fewer than 5 clients is suppressed even in a large cell.
    assert a.metrics["days"].suppressed and a.metrics["days"].n == 0
    assert by[("teaming", "none", "independent")].n == 9
    token = i18n.set_locale("en")
    try:
        assert "too few" in " ".join(arm_report.summary(rows))
    finally:
        i18n.reset_locale(token)


# --- the database fixture: 5 + 5 independent clients, 2 with help -------------------------

A_SPECS = [
    # plan, days, latest wellbeing (first is 5.0), goal level now (baseline -1), teaming,
    # experience survey themes (means 7.0, 8.5, 5.0 (a theme skipped), 7.0, 6.5)
    ("confirmed", 10, 6.5, 0, True, {"heard": 6.0, "trust": 8.0}),
    ("confirmed", 20, 7.0, 0, True, {"heard": 8.0, "trust": 9.0}),
    ("confirmed", 30, 5.0, 1, False, {"heard": 5.0, "trust": None}),
    ("returned", 40, 6.0, -1, False, {"heard": 7.0, "trust": 7.0}),
    ("returned", 50, 8.0, 0, False, {"heard": 6.5, "trust": 6.5}),
]


def _world(session: Session) -> tuple[BudgetWorld, list[int], list[int], list[int]]:
    world = build(session, code="arm")
    admin = user(session, "Admin", Role.admin, organiser_id=world.organiser.id)
    experiment = Experiment(
        organiser_id=world.organiser.id,  # type: ignore[arg-type]
        name="Koe",
        frame_arms=["A", "B"],
        teaming_arms=["C", "none"],
        block_size=4,
        seed="s",
        created_by_id=admin.id,  # type: ignore[arg-type]
    )
    session.add(experiment)
    session.flush()
    offer = world.offer(1_000)  # category c0
    worker = world.case_worker.id
    assert worker is not None

    def spec(n: int, arm: str, plan: str, days: int, latest: float, level: int, teaming: bool,
             experience: dict[str, float | None] | None = None,
             help_: bool = False) -> ClientSpec:  # fmt: skip
        return ClientSpec(
            name=f"{arm}{n}",
            group="disability",
            worker_id=worker,
            frame_arm=arm,
            teaming=teaming,
            with_help=help_,
            frame_cents=100_000,
            frame_at=FRAME_AT,
            plan=plan,
            days_to_confirmation=days,
            first_scores={"general": 5.0},
            latest_scores={"general": latest},
            goals=[(-1, level)],
            lines=[LineSpec(offer, 10_000, 5_000)],
            experience_scores=experience,
            synthetic=False,
        )

    a_ids = insert_clients(
        session, world.organiser, [spec(i, "A", *s) for i, s in enumerate(A_SPECS)], experiment
    )
    b_ids = insert_clients(
        session,
        world.organiser,
        [spec(i, "B", "confirmed", 5, 6.0, 0, i < 3) for i in range(5)],
        experiment,
    )
    helped = insert_clients(
        session,
        world.organiser,
        [spec(9 + i, "A", "confirmed", 7, 6.0, 0, False, None, True) for i in range(2)],
        experiment,
    )
    world.objects = {"admin": admin}  # type: ignore[attr-defined]
    return world, a_ids, b_ids, helped


def _admin(session: Session, world: BudgetWorld):  # noqa: ANN202
    actor = load_actor(session, world.objects["admin"].id)  # type: ignore[attr-defined]
    assert actor is not None
    return actor


def test_report_numbers_match_the_hand_computed_fixture(session: Session):
    world, a_ids, b_ids, helped = _world(session)
    report = arm_report.build(session, _admin(session, world))
    by = {(r.question, r.arm, r.group): r for r in report.rows}
    a = by[("frame", "A", "independent")]
    assert a.n == 5
    acc = a.metrics["acceptability"]
    assert (acc.n, acc.value) == (5, 0.6)
    assert acc.low == pytest.approx(0.23072, abs=1e-4)
    days = a.metrics["days"]
    assert days.value == 30 and days.low == pytest.approx(10.371, abs=1e-3)
    change = a.metrics["wellbeing_change"]
    # changes 1.5, 2, 0, 1, 3: mean 1.5, sd √1.25, half 2.776·0.5 = 1.388
    assert change.value == pytest.approx(1.5)
    assert change.low == pytest.approx(0.112, abs=1e-3)
    # the experience survey, not wellbeing: (7.0 + 8.5 + 5.0 + 7.0 + 6.5) / 5
    experience = a.metrics["experience"]
    assert (experience.n, experience.value) == (5, pytest.approx(6.8))
    # one goal each, levels 0, 0, 1, -1, 0: T = 50 + 10·level → mean 50
    assert a.metrics["gas"].value == pytest.approx(50.0)
    c0 = world.categories[0].id
    assert a.spending[c0].value == 5_000  # five 10 € units delivered
    assert a.spending[world.categories[1].id].value == 0
    b = by[("frame", "B", "independent")]
    assert b.metrics["acceptability"].value == 1.0
    assert b.metrics["days"].value == 5
    # Teaming: A0, A1, B0, B1, B2 are in arm C.
    assert by[("teaming", "C", "independent")].n == 5
    assert by[("teaming", "none", "independent")].n == 5
    # Clients helped by an assistant are a separate, here suppressed, cell.
    helped_row = by[("frame", "A", "with_help")]
    assert helped_row.n == 2 and helped_row.suppressed
    assert report.counted == 12
    csv_rows = arm_report.to_rows(report)
    hidden = [r for r in csv_rows if r[2] == "with_help" and r[1] == "A"]
    assert hidden and all(r[3] == "" and r[6] == "" and r[9] == "1" for r in hidden)
    assert any("95" in s for s in report.summary)
    events = session.exec(
        select(AuditEvent).where(AuditEvent.category == "experiment_report")
    ).all()
    assert len(events) == 1 and events[0].purpose == "report"


def test_withdrawal_removes_the_client_from_report_and_export(session: Session):
    world, a_ids, b_ids, _helped = _world(session)
    admin = _admin(session, world)
    header, before = export.rows(session, admin)
    assert len(before) == 12
    leaver = load_actor(session, a_ids[4])
    assert leaver is not None
    consent.set_own(session, leaver, False)
    report = arm_report.build(session, admin)
    by = {(r.question, r.arm, r.group): r for r in report.rows}
    assert report.counted == 11
    assert by[("frame", "A", "independent")].n == 4
    assert by[("frame", "A", "independent")].suppressed
    _header, after = export.rows(session, admin)
    assert len(after) == 11
    # Giving consent again brings the client back.
    consent.set_own(session, leaver, True)
    assert arm_report.build(session, admin).counted == 12


def test_research_export_is_pseudonymous(session: Session):
    world, a_ids, b_ids, helped = _world(session)
    header, body = export.rows(session, _admin(session, world))
    text = export.to_csv(header, body)
    for name in ("A0", "B1", "Aino", "Sari"):
        assert f",{name}," not in text and not any(name in cell for row in body for cell in row)
    codes = [row[0] for row in body]
    assert len(set(codes)) == len(codes)
    for code in codes:
        pilot, group, worker, ordinal = code.split("-")
        assert (pilot, group, worker) == ("ARM", "DIS", "01") and len(ordinal) == 4
    assert "client_id" not in header and "name" not in " ".join(header)
    # Ordinals follow the order consents were given, not user ids.
    assert sorted(int(row[4]) for row in body) == list(range(1, 13))
    # Clients without consent are left out.
    world2_client = world.client.id
    assert not consent.has_consent(session, world2_client)  # type: ignore[arg-type]
    assert len(body) == 12
