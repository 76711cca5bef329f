"""Bursts over HTTP against real servers: two uvicorn processes on one database (one SQLite
file; one PostgreSQL database), requests spread over both. 30 parallel delivery reports on a
5-unit line, 20 parallel confirmations (each delivery twice, half with one form key),
10 parallel frame saves and a form sent 8 times with one key. Every request is answered
within its timeout (nothing hangs), nothing posts twice, and `ledger verify` is clean.
(The in-process bursts on the services are in test_money_races.py; forms once over the test
client in test_money_forms_once.py.)"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.config import Settings
from app.models.budget import Budget, FrameVersion
from app.models.ledger import Delivery, DeliveryStatus, EntryKind, LedgerEntry
from app.models.user import User
from app.services.budget import deliveries, plan
from tests.support import servers
from tests.support.budget_world import PERIOD, TODAY, build
from tests.support.money_checks import ledger_verify

pytestmark = pytest.mark.slow
TIMEOUT = 30.0  # seconds a request may take before it counts as hung


def _persona(session: Session, person: User, name: str) -> None:
    person.dev_persona = name
    session.add(person)


def _world(engine: Engine) -> dict[str, Any]:
    """A 1 000 € budget with a confirmed plan: a 5-unit line (for the reports) and a 20-unit
    line with 10 deliveries reported (for the confirmations); personas to log in as."""
    with Session(engine, expire_on_commit=False) as s:
        world = build(s, code="http")
        budget = world.frame(100_000)
        client, provider = world.actor(world.client), world.actor(world.provider_user)
        offer = world.offer(1_000)
        small = plan.add_line(s, client, budget, offer.id, 5, 1, TODAY)  # type: ignore[arg-type]
        big = plan.add_line(s, client, budget, offer.id, 20, 1, TODAY)  # type: ignore[arg-type]
        plan.submit(s, client, budget, "")
        plan.confirm(s, world.actor(world.case_worker), budget, "")
        for line in (small, big):
            deliveries.decide_order(s, provider, line.id, True)  # type: ignore[arg-type]
        reported = [
            deliveries.report_delivery(s, provider, big.id, TODAY, 1, "", TODAY).id  # type: ignore[arg-type]
            for _ in range(10)
        ]
        for person, name in (
            (world.provider_user, "http-provider"),
            (world.client, "http-client"),
            (world.case_worker, "http-worker"),
        ):
            _persona(s, person, name)
        s.commit()
        return {
            "budget": budget.id,
            "client": world.client.id,
            "small": small.id,
            "big": big.id,
            "reported": reported,
        }


def _fire(urls: list[str], cookies: dict[str, str], posts: list[tuple[str, dict[str, str]]]):  # noqa: ANN202
    """Send the posts at once, spread over the servers; each answered within TIMEOUT or the
    test fails (a hung server raises httpx.TimeoutException here)."""

    def send(index: int) -> int:
        path, fields = posts[index]
        data = {**fields, "csrftoken": cookies["csrftoken"]}
        base = urls[index % len(urls)]
        with httpx.Client(base_url=base, cookies=cookies, timeout=TIMEOUT) as client:
            return client.post(path, data=data).status_code

    with ThreadPoolExecutor(max_workers=len(posts)) as pool:
        codes = list(pool.map(send, range(len(posts)), timeout=TIMEOUT * 3))
    assert all(code < 500 for code in codes), codes
    return codes


def _key() -> str:
    return uuid.uuid4().hex


def _count(engine: Engine, query: Callable[[Session], list[Any]]) -> int:
    with Session(engine) as s:
        return len(query(s))


def test_bursts_over_http_neither_hang_nor_post_twice(
    db_url: str, engine: Engine, settings: Settings
) -> None:
    ids = _world(engine)
    engine.dispose()  # the servers hold the database from here on
    with servers.several(db_url, 2) as urls:
        provider = servers.login(urls[0], "http-provider")
        client = servers.login(urls[1], "http-client")
        worker = servers.login(urls[0], "http-worker")
        report = f"/tuottaja/tilaukset/{ids['small']}/toimitukset"
        fields = {"delivered_on": TODAY.isoformat(), "units": "1", "note": ""}
        _fire(urls, provider, [(report, {**fields, "form_key": _key()}) for _ in range(30)])
        twice = [_key() for _ in ids["reported"]]
        confirms = []
        for n, delivery_id in enumerate(ids["reported"]):
            path = f"/oma/toimitukset/{delivery_id}/vahvista"
            # A double click (one key) for half of them, two tabs (two keys) for the rest.
            confirms += [(path, {"form_key": twice[n] if n % 2 else _key()}) for _ in range(2)]
        _fire(urls, client, confirms)
        frames = [
            (
                f"/asiakkaat/{ids['client']}/budjetti/raami",
                {
                    "frame": str(1_000 + 10 * n),
                    "arm": "A",
                    "reason": f"burst {n}",
                    "period_start": PERIOD[0].isoformat(),
                    "period_end": PERIOD[1].isoformat(),
                    "form_key": _key(),
                },
            )
            for n in range(10)
        ]
        _fire(urls, worker, frames)
        same = {**fields, "form_key": _key()}
        big = f"/tuottaja/tilaukset/{ids['big']}/toimitukset"
        _fire(urls, provider, [(big, same)] * 8)
    with Session(engine) as s:
        small = s.exec(select(Delivery).where(Delivery.plan_line_id == ids["small"])).all()
        assert sum(d.units for d in small) == 5, "the 5-unit line took more reports"
        big_rows = s.exec(select(Delivery).where(Delivery.plan_line_id == ids["big"])).all()
        assert len(big_rows) == 11, "a form sent 8 times with one key made more than one"
        confirmed = [d for d in big_rows if d.status == DeliveryStatus.confirmed]
        assert {d.id for d in confirmed} == set(ids["reported"])
        debits = s.exec(
            select(LedgerEntry.delivery_id).where(
                LedgerEntry.kind == EntryKind.delivery_debit,
                col(LedgerEntry.delivery_id).in_(ids["reported"]),
            )
        ).all()
        assert sorted(debits) == sorted(ids["reported"]), "a confirmation posted twice"
        budget = s.get(Budget, ids["budget"])
        assert budget is not None
        versions = s.exec(select(FrameVersion).where(FrameVersion.budget_id == budget.id)).all()
        assert len(versions) == 11  # the first frame and each of the 10 saves, once
        assert budget.frame_cents == max(versions, key=lambda v: v.version).frame_cents
        assert ledger_verify(s, settings) == []
