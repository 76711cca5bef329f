"""A contention scenario shared by the concurrency test and bench/ledger.py.

One budget; a confirmed line of `units` units; frame covers `frame_units`, the rest is an
own share prepaid online. `units` deliveries are reported, then confirmed in parallel
threads (each its own session and transaction) while the payment's webhook is replayed.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from app.config import Settings
from app.models.budget import Budget
from app.models.ledger import Delivery, DeliveryStatus, EntryKind, LedgerEntry
from app.services import audit
from app.services.budget import deliveries, ledger, payment_events, plan
from tests.support.budget_world import TODAY, build

PRICE = 1_000


@dataclass
class Outcome:
    seconds: float
    accepted: int
    refused: int
    webhook_posted: int
    problems: list[str]


def prepare(engine: Engine, units: int, frame_units: int, code: str = "load") -> dict[str, Any]:
    with Session(engine, expire_on_commit=False) as s:
        world = build(s, allows_own_share=True, code=code)
        budget = world.frame(frame_units * PRICE)
        client = world.actor(world.client)
        offer = world.offer(PRICE)
        line = plan.add_line(s, client, budget, offer.id, units, 1, TODAY)  # type: ignore[arg-type]
        plan.submit(s, client, budget, "", None, plan.pending_own_share(s, budget))
        plan.confirm(s, world.actor(world.case_worker), budget, "")
        provider = world.actor(world.provider_user)
        deliveries.decide_order(s, provider, line.id, True)  # type: ignore[arg-type]
        ids = [
            deliveries.report_delivery(s, provider, line.id, TODAY, 1, "").id  # type: ignore[arg-type]
            for _ in range(units)
        ]
        s.commit()
        return {"budget_id": budget.id, "client_id": world.client.id, "deliveries": ids}


def _retrying(fn: Any) -> Any:
    for attempt in range(20):
        try:
            return fn()
        except OperationalError:  # SQLite "database is locked" past the busy timeout
            time.sleep(0.05 * (attempt + 1))
    return fn()


def run(
    engine: Engine,
    data: dict[str, Any],
    *,
    workers: int = 8,
    settings: Settings | None = None,
    webhook: tuple[bytes, str] | None = None,
    replays: int = 0,
) -> Outcome:
    from app.services.identity.users import load_actor

    lock = threading.Lock()
    counts = {"accepted": 0, "refused": 0, "posted": 0}

    def confirm(delivery_id: int) -> None:
        def attempt() -> None:
            with Session(engine, expire_on_commit=False) as s:
                actor = load_actor(s, data["client_id"])
                budget = s.get(Budget, data["budget_id"])
                assert actor is not None and budget is not None
                try:
                    deliveries.accept(s, actor, budget, delivery_id)
                    s.commit()
                    key = "accepted"
                except deliveries.Overdraw:
                    s.rollback()
                    key = "refused"
            with lock:
                counts[key] += 1

        _retrying(attempt)

    def replay() -> None:
        assert settings is not None and webhook is not None

        def attempt() -> None:
            with Session(engine, expire_on_commit=False) as s:
                outcome = payment_events.handle_webhook(s, settings, *webhook)
                s.commit()
            if outcome == "posted":
                with lock:
                    counts["posted"] += 1

        _retrying(attempt)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(confirm, d) for d in data["deliveries"]]
        futures += [pool.submit(replay) for _ in range(replays)]
        for future in futures:
            future.result()
    seconds = time.perf_counter() - start
    with Session(engine) as s:
        problems = [f"{p.budget_id}: {p.problem}" for p in ledger.verify(s)]
        problems += [f"audit {p.event_id}: {p.problem}" for p in audit.verify(s)]
        budget = s.get(Budget, data["budget_id"])
        assert budget is not None
        if ledger.balance(s, budget) < 0:
            problems.append("overdraft")
        done = s.exec(
            select(Delivery).where(
                Delivery.budget_id == budget.id, Delivery.status == DeliveryStatus.confirmed
            )
        ).all()
        entries = s.exec(select(LedgerEntry).where(LedgerEntry.budget_id == budget.id)).all()
        debits = -sum(e.amount_cents for e in entries if e.kind == EntryKind.delivery_debit)
        own_kinds = (EntryKind.own_share_payment, EntryKind.own_share_drawn)
        own = sum(abs(e.amount_cents) for e in entries if e.kind in own_kinds)
        if debits + own != sum(d.amount_cents for d in done):
            problems.append("a cent was lost or doubled")
        if len(done) != counts["accepted"]:
            problems.append("confirmations and rows differ")
    return Outcome(seconds, counts["accepted"], counts["refused"], counts["posted"], problems)
