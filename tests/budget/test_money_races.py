"""Races on one budget, on SQLite and PostgreSQL: every state change is a guarded transition
(the budget's lock, then the state read again), so parallel requests post once."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.models.audit import AuditAction, AuditEvent
from app.models.budget import Budget, PlanAction, PlanEvent, PlanLine, PlanStatus, PlanVersion
from app.models.ledger import Delivery, DeliveryStatus, LedgerEntry
from app.services import audit
from app.services.budget import deliveries, disputes, ledger, plan
from app.services.budget import frames as budget_service
from app.services.identity.users import load_actor
from tests.support.budget_world import PERIOD, TODAY, build
from tests.support.bursts import burst, succeeded


@dataclass(frozen=True)
class Ids:
    budget: int
    client: int
    worker: int
    provider: int
    offer: int
    line: int = 0


def _world(engine: Engine, frame: int, *, units: int = 0, code: str = "race") -> Ids:
    """A budget with `frame` cents; with `units`, a confirmed, accepted line of that many
    units at 10 € each."""
    with Session(engine, expire_on_commit=False) as s:
        world = build(s, code=code)
        budget = world.frame(frame)
        offer = world.offer(1_000)
        client, worker = world.actor(world.client), world.actor(world.case_worker)
        line_id = 0
        if units:
            line = plan.add_line(s, client, budget, offer.id, units, 1, TODAY)  # type: ignore[arg-type]
            plan.submit(s, client, budget, "")
            plan.confirm(s, worker, budget, "")
            deliveries.decide_order(s, world.actor(world.provider_user), line.id, True)  # type: ignore[arg-type]
            line_id = line.id  # type: ignore[assignment]
        s.commit()
        return Ids(
            budget.id,  # type: ignore[arg-type]
            world.client.id,  # type: ignore[arg-type]
            world.case_worker.id,  # type: ignore[arg-type]
            world.provider_user.id,  # type: ignore[arg-type]
            offer.id,  # type: ignore[arg-type]
            line_id,
        )


def _as(s: Session, user_id: int):  # noqa: ANN202
    actor = load_actor(s, user_id)
    assert actor is not None
    return actor


def _budget(s: Session, ids: Ids) -> Budget:
    budget = s.get(Budget, ids.budget)
    assert budget is not None
    return budget


def _events(engine: Engine, ids: Ids, action: PlanAction) -> int:
    with Session(engine) as s:
        rows = s.exec(
            select(PlanEvent).where(PlanEvent.budget_id == ids.budget, PlanEvent.action == action)
        ).all()
        return len(rows)


def test_parallel_submits_and_confirms_happen_once(engine: Engine) -> None:
    ids = _world(engine, 10_000)
    with Session(engine) as s:
        plan.add_line(s, _as(s, ids.client), _budget(s, ids), ids.offer, 5, 1, TODAY)
        s.commit()

    def submit(s: Session) -> object:
        return plan.submit(s, _as(s, ids.client), _budget(s, ids), "")

    def confirm(s: Session) -> object:
        return plan.confirm(s, _as(s, ids.worker), _budget(s, ids), "")

    assert len(succeeded(burst(engine, [submit] * 20))) == 1
    assert _events(engine, ids, PlanAction.submitted) == 1
    assert len(succeeded(burst(engine, [confirm] * 20))) == 1
    assert _events(engine, ids, PlanAction.confirmed) == 1


def test_submit_racing_line_adds_never_sends_a_plan_over_the_frame(engine: Engine) -> None:
    ids = _world(engine, 10_000)
    for _round in range(4):
        with Session(engine) as s:
            latest = budget_service.latest_version(s, _budget(s, ids))
            if latest is not None and latest.status == PlanStatus.submitted:
                plan.return_plan(s, _as(s, ids.worker), _budget(s, ids), "again")
            for line in budget_service.lines_of(
                s, budget_service.latest_version(s, _budget(s, ids))
            ):
                plan.remove_line(s, _as(s, ids.client), _budget(s, ids), line.id)  # type: ignore[arg-type]
            plan.add_line(s, _as(s, ids.client), _budget(s, ids), ids.offer, 6, 1, TODAY)
            s.commit()

        def add(s: Session) -> object:
            return plan.add_line(s, _as(s, ids.client), _budget(s, ids), ids.offer, 6, 1, TODAY)

        def submit(s: Session) -> object:
            return plan.submit(s, _as(s, ids.client), _budget(s, ids), "")

        burst(engine, [submit, add, add, submit, add, submit])
        with Session(engine) as s:
            sent = s.exec(
                select(PlanVersion).where(
                    PlanVersion.budget_id == ids.budget,
                    PlanVersion.status == PlanStatus.submitted,
                )
            ).all()
            for version in sent:
                total = sum(line.cost_cents for line in budget_service.lines_of(s, version))
                assert total <= 10_000, f"a plan of {total} cents was sent for a 10 000 frame"


def test_parallel_reports_never_pass_the_line(engine: Engine) -> None:
    ids = _world(engine, 10_000, units=5)

    def report(s: Session) -> object:
        return deliveries.report_delivery(s, _as(s, ids.provider), ids.line, TODAY, 1, "", TODAY)

    assert len(succeeded(burst(engine, [report] * 50))) == 5
    with Session(engine) as s:
        units = s.exec(select(Delivery.units).where(Delivery.plan_line_id == ids.line)).all()
        assert sum(units) == 5


def test_confirm_dispute_and_auto_accept_one_wins(engine: Engine) -> None:
    ids = _world(engine, 10_000, units=8)
    with Session(engine) as s:
        reported = [
            deliveries.report_delivery(s, _as(s, ids.provider), ids.line, TODAY, 1, "", TODAY).id
            for _ in range(8)
        ]
        s.commit()
    later = date(PERIOD[1].year + 1, 1, 1)

    def confirm(delivery_id: int):  # noqa: ANN202
        return lambda s: deliveries.accept(s, _as(s, ids.client), _budget(s, ids), delivery_id)

    def dispute(delivery_id: int):  # noqa: ANN202
        return lambda s: disputes.dispute(
            s, _as(s, ids.client), _budget(s, ids), delivery_id, "Ei pidä paikkaansa"
        )

    calls = [lambda s: deliveries.auto_accept(s, later)] * 2
    for delivery_id in reported:
        calls += [confirm(delivery_id), dispute(delivery_id)]
    results = burst(engine, calls)
    auto_accepted = results[0][0] + results[1][0]
    with Session(engine) as s:
        rows = {d.id: d for d in s.exec(select(Delivery).where(col(Delivery.id).in_(reported)))}
        entries = s.exec(select(LedgerEntry).where(col(LedgerEntry.delivery_id).in_(reported)))
        posted = [e.delivery_id for e in entries.all()]
        assert ledger.verify(s) == []
    assert auto_accepted == sum(d.status == DeliveryStatus.auto_accepted for d in rows.values())
    for index, delivery_id in enumerate(reported):
        confirmed, disputed = results[2 + 2 * index], results[3 + 2 * index]
        if rows[delivery_id].status == DeliveryStatus.disputed:
            assert delivery_id not in posted and isinstance(confirmed, deliveries.AlreadyDecided)
        else:
            assert posted.count(delivery_id) == 1
            assert isinstance(disputed, deliveries.AlreadyDecided)


def test_parallel_first_frames_make_one_budget(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as s:
        world = build(s, code="first")
        client_id, worker_id = world.client.id, world.case_worker.id
        s.commit()
    data = budget_service.FrameInput(50_000, budget_service.ExperimentArm.a, {}, "x", *PERIOD)

    def first_frame(s: Session) -> object:
        return budget_service.set_frame(s, _as(s, worker_id), client_id, data)  # type: ignore[arg-type]

    assert len(succeeded(burst(engine, [first_frame] * 10))) == 10
    with Session(engine) as s:
        budgets = s.exec(select(Budget).where(Budget.client_id == client_id)).all()
        assert len(budgets) == 1
        assert ledger.allocated(s, budgets[0]) == 50_000
        assert ledger.verify(s) == []
        assert not s.exec(select(PlanLine)).all()


def test_an_open_audited_transaction_does_not_hold_up_another(engine: Engine) -> None:
    """The audit chain is extended at commit: a worker's page that has logged its read and is
    still rendering does not make the client's change (an audited write) wait for it."""
    ids = _world(engine, 10_000, code="audit")
    logged, release = threading.Event(), threading.Event()

    def slow(s: Session) -> None:
        assert budget_service.budget_for_caseworker(s, _as(s, ids.worker), ids.client)
        logged.set()
        assert release.wait(30)

    def other(s: Session) -> float:
        assert logged.wait(30)
        started = time.perf_counter()
        plan.add_line(s, _as(s, ids.client), _budget(s, ids), ids.offer, 1, 1, TODAY)
        s.commit()
        waited = time.perf_counter() - started
        release.set()
        return waited

    with ThreadPoolExecutor(max_workers=2) as pool:
        held = pool.submit(_committed, engine, slow)
        waited = pool.submit(_committed, engine, other).result(timeout=60)
        held.result(timeout=60)
    assert waited < 5, f"an audited write waited {waited:.1f} s for another transaction"
    with Session(engine) as s:
        assert audit.verify(s) == []
        logged_reads = s.exec(
            select(AuditEvent).where(
                AuditEvent.action == AuditAction.read, AuditEvent.actor_id == ids.worker
            )
        ).all()
        assert len(logged_reads) == 1


def _committed(engine: Engine, call):  # noqa: ANN001, ANN202
    with Session(engine, expire_on_commit=False) as s:
        result = call(s)
        s.commit()
        return result
