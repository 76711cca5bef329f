"""The rest of bench/ledger.py: disputes and reversals per second through the services, and a
settlement run over many confirmed deliveries set up with bulk inserts. Each returns the
discrepancies it found."""

from __future__ import annotations

import time
from datetime import date

from sqlalchemy import func, insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.models.base import utcnow
from app.models.budget import Budget, PlanLine
from app.models.ledger import Delivery, DeliveryStatus, EntryKind, LedgerEntry
from app.models.settlement import SettlementEntry, SettlementLine
from app.services.budget import deliveries, disputes, ledger, plan, settlement
from app.services.identity.users import load_actor
from tests.support.budget_world import TODAY, BudgetWorld, build

PRICE = 100


def _confirmed_line(
    s: Session, code: str, quantity: int, repeats: int
) -> tuple[BudgetWorld, Budget, PlanLine]:
    world = build(s, code=code)
    budget = world.frame(quantity * repeats * PRICE)
    client = world.actor(world.client)
    line = plan.add_line(s, client, budget, world.offer(PRICE).id, quantity, repeats, TODAY)  # type: ignore[arg-type]
    plan.submit(s, client, budget, "")
    plan.confirm(s, world.actor(world.case_worker), budget, "")
    deliveries.decide_order(s, world.actor(world.provider_user), line.id, True)  # type: ignore[arg-type]
    s.commit()
    return world, budget, line


def _rate(label: str, count: int, seconds: float) -> None:
    print(f"  {label}: {count} in {seconds:.2f} s ({count / seconds if seconds else 0:.1f}/s)")


def disputes_and_reversals(engine: Engine, name: str, count: int) -> int:
    """`count` deliveries disputed and answered (withdrawn, or contested and decided by the
    case worker), `count` paid deliveries reversed; one request (transaction) per step."""
    with Session(engine, expire_on_commit=False) as s:
        world, budget, line = _confirmed_line(s, "bench-disputes", min(1_000, 2 * count), 1)
        provider = world.actor(world.provider_user)
        reported = [
            deliveries.report_delivery(s, provider, line.id, TODAY, 1, "", TODAY).id  # type: ignore[arg-type]
            for _ in range(2 * count)
        ]
        s.commit()
        who = {"client": world.client.id, "provider": world.provider_user.id}
        who["worker"] = world.case_worker.id
    disputed, paid = reported[:count], reported[count:]

    def step(call):  # noqa: ANN001, ANN202
        with Session(engine, expire_on_commit=False) as s:
            actors = {k: load_actor(s, v) for k, v in who.items()}
            result = call(s, actors, s.get(Budget, budget.id))
            s.commit()
            return result

    start, steps = time.perf_counter(), 0
    for n, delivery_id in enumerate(disputed):
        step(lambda s, a, b, d=delivery_id: disputes.dispute(s, a["client"], b, d, "Ei pidä"))
        if n % 2:
            step(lambda s, a, b, d=delivery_id: disputes.withdraw(s, a["provider"], d, "pois"))
            steps += 2
            continue
        step(lambda s, a, b, d=delivery_id: disputes.contest(s, a["provider"], d, "pitää"))
        outcome = disputes.Outcome.accept if n % 4 == 0 else disputes.Outcome.reject
        step(
            lambda s, a, b, d=delivery_id, o=outcome: disputes.decide(s, a["worker"], b, d, o, "x")
        )
        steps += 3
    _rate(f"{name} dispute steps", steps, time.perf_counter() - start)
    for delivery_id in paid:
        step(lambda s, a, b, d=delivery_id: deliveries.accept(s, a["client"], b, d))
    start = time.perf_counter()
    for delivery_id in paid:
        step(lambda s, _a, b, d=delivery_id: _reverse(s, b, d))
    _rate(f"{name} reversals", len(paid), time.perf_counter() - start)
    with Session(engine) as s:
        settlement.refresh(s, [world.organiser.id])  # type: ignore[list-item]
        problems = [*ledger.verify(s), *settlement.verify(s)]
        s.commit()
    for problem in problems:
        print(f"  discrepancy: {problem}")
    return len(problems)


def _reverse(s: Session, budget: Budget, delivery_id: int) -> None:
    """A reversing entry for a paid delivery (never an edit)."""
    budget = ledger.lock_budget(s, budget)
    delivery = s.get(Delivery, delivery_id)
    assert delivery is not None
    line = s.get(PlanLine, delivery.plan_line_id)
    key = f"reversal:{delivery_id}"
    kind = EntryKind.correction
    ledger.post(s, budget, kind, delivery.budget_cents, key, delivery=delivery, line=line)


def settlement_run(engine: Engine, name: str, count: int) -> int:
    """`count` confirmed deliveries over six months, inserted in bulk, then settled in one
    run (timed); the settled totals are checked against the ledger in one query each."""
    with Session(engine, expire_on_commit=False) as s:
        world, budget, line = _confirmed_line(s, "bench-settle", 1_000, -(-count // 1_000))
        start = time.perf_counter()
        first = int(s.exec(select(func.coalesce(func.max(Delivery.id), 0))).one()) + 1
        now = utcnow()
        ids = range(first, first + count)
        common = {"created_at": now, "updated_at": now}
        s.execute(
            insert(Delivery),
            [
                {
                    **common,
                    "id": i,
                    "budget_id": budget.id,
                    "plan_line_id": line.id,
                    "provider_id": line.provider_id,
                    "delivered_on": date(2026, 1 + i % 6, 1 + i % 28),
                    "units": 1,
                    "amount_cents": PRICE,
                    "note": "",
                    "status": DeliveryStatus.confirmed,
                    "reported_by_id": world.provider_user.id,
                    "decided_at": now,
                    "dispute_reason": "",
                    "budget_cents": PRICE,
                    "own_share_cents": 0,
                }
                for i in ids
            ],
        )
        s.execute(
            insert(LedgerEntry),
            [
                {
                    **common,
                    "budget_id": budget.id,
                    "kind": EntryKind.delivery_debit,
                    "amount_cents": -PRICE,
                    "affects_balance": True,
                    "idempotency_key": f"delivery:{i}",
                    "delivery_id": i,
                    "line_key": line.line_key,
                    "category_id": line.category_id,
                    "note": "",
                    "posted_at": now,
                }
                for i in ids
            ],
        )
        s.commit()
        _rate(f"{name} deliveries inserted in bulk", count, time.perf_counter() - start)
        start = time.perf_counter()
        settled = settlement.refresh(s, [world.organiser.id])  # type: ignore[list-item]
        s.commit()
        seconds = time.perf_counter() - start
        print(
            f"  {name} settlement run: {settled} entries of {count} deliveries in {seconds:.2f} s"
        )
        lines = s.exec(
            select(func.count(), func.coalesce(func.sum(SettlementLine.budget_cents), 0)).where(
                col(SettlementLine.delivery_id).in_(
                    select(Delivery.id).where(Delivery.budget_id == budget.id)
                )
            )
        ).one()
        links = s.exec(select(func.count()).select_from(SettlementEntry)).one()
    problems = []
    if tuple(lines) != (count, count * PRICE):
        problems.append(f"settlement lines {tuple(lines)}, expected {(count, count * PRICE)}")
    if links < count:
        problems.append(f"{links} ledger entries settled of {count}")
    for problem in problems:
        print(f"  discrepancy: {problem}")
    return len(problems)
