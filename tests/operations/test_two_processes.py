"""Two uvicorn processes on one database (PostgreSQL; the SQLite file too), each running the
job loop as `hebu serve` does in development: what one process does, the other sees. A login
on A is a session on B, a CSRF token A handed out is accepted by B (and a forged one is not),
login attempts are counted across both, a due job runs once (not once per process), and a
listing changed through A is found by a search answered by B's own in-memory index."""

from __future__ import annotations

import json
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, delete, text, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.db import make_engine
from app.models.identity import RateLimitHit
from app.models.job import Job
from app.models.ledger import Delivery, DeliveryStatus, EntryKind, LedgerEntry
from app.services import search
from app.services.budget import deliveries, plan
from tests.conftest import ENGINES
from tests.support import postgres, servers
from tests.support.budget_world import TODAY, build

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("two-processes")]
LOGIN_LIMIT = 12  # login attempts per address and window, shared by both processes
ROUNDS = 4  # times the auto-accept job is made due while both loops poll
AUTO_ACCEPT = "deliveries_auto_accept"
TIMEOUT = 30.0


@pytest.fixture(scope="module", params=ENGINES)
def db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One migrated database for the module's two servers (named `db_url`, so the PostgreSQL
    case carries the `postgres` mark)."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        target = tmp_path_factory.mktemp("two-processes") / "hebu.db"
        shutil.copyfile(template, target)
        yield f"sqlite:///{target}"
        return
    cluster: postgres.PgCluster = request.getfixturevalue("pg_cluster")
    template_name: str = request.getfixturevalue("pg_template")
    name = "two_" + uuid.uuid4().hex[:12]
    admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
    yield cluster.url(name)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@dataclass
class Pair:
    a: str
    b: str
    engine: Engine
    logs: list[Path]
    offer_id: int
    category_id: int
    deliveries: list[int]


def _world(engine: Engine) -> dict[str, Any]:
    """A confirmed plan whose provider reported ROUNDS deliveries (none due yet), an offer in
    the search index, and personas to log in as."""
    with Session(engine, expire_on_commit=False) as s:
        world = build(s, code="two")
        budget = world.frame(100_000)
        client, provider = world.actor(world.client), world.actor(world.provider_user)
        offer = world.offer(1_000)
        line = plan.add_line(s, client, budget, offer.id, 20, 1, TODAY)  # type: ignore[arg-type]
        plan.submit(s, client, budget, "")
        plan.confirm(s, world.actor(world.case_worker), budget, "")
        deliveries.decide_order(s, provider, line.id, True)  # type: ignore[arg-type]
        reported = [
            deliveries.report_delivery(s, provider, line.id, TODAY, 1, "", TODAY).id  # type: ignore[arg-type]
            for _ in range(ROUNDS)
        ]
        world.client.dev_persona = "two-client"
        world.provider_user.dev_persona = "two-provider"
        s.add_all([world.client, world.provider_user])
        s.commit()
        ids = {"offer": offer.id, "category": world.categories[0].id, "deliveries": reported}
    search.configure(None)
    search.reindex(engine)
    return ids


@pytest.fixture(scope="module")
def pair(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    engine = make_engine(db_url)
    ids = _world(engine)
    folder = tmp_path_factory.mktemp("two-process-logs")
    logs = [folder / "a.log", folder / "b.log"]
    env = {
        "HEBU_RUN_JOBS_IN_PROCESS": "true",
        "HEBU_WORKER_POLL_SECONDS": "0.2",
        "HEBU_RATE_LIMIT_ATTEMPTS": str(LOGIN_LIMIT),
        "HEBU_LOG_JSON": "true",
        "HEBU_LOG_LEVEL": "INFO",
    }
    with servers.serving(db_url, logs[0], **env) as a, servers.serving(db_url, logs[1], **env) as b:
        yield Pair(a, b, engine, logs, ids["offer"], ids["category"], ids["deliveries"])
    engine.dispose()


def _client(base: str, cookies: dict[str, str] | None = None) -> httpx.Client:
    return httpx.Client(base_url=base, cookies=cookies, follow_redirects=False, timeout=TIMEOUT)


def _clear_login_attempts(engine: Engine) -> None:
    with Session(engine) as s:
        s.execute(delete(RateLimitHit))
        s.commit()


def _wait_for(condition: Callable[[], Any], what: str, seconds: float = 30.0) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_login_on_one_process_is_a_session_on_the_other(pair: Pair) -> None:
    _clear_login_attempts(pair.engine)
    cookies = servers.login(pair.a, "two-client")
    with _client(pair.b, cookies) as b:
        page = b.get("/oma/tietoni")
        assert page.status_code == 200, page.status_code
        assert "Aino" in page.text
        # Logging out on B ends the session on A as well.
        token = cookies["csrftoken"]
        assert b.post("/logout", data={"csrftoken": token}).status_code == 303
    with _client(pair.a, cookies) as a:
        assert a.get("/oma/tietoni").status_code in (302, 303, 401)


def test_a_csrf_token_from_one_process_is_accepted_by_the_other(pair: Pair) -> None:
    _clear_login_attempts(pair.engine)
    with _client(pair.a) as a:
        a.get("/healthz")
        token = a.cookies.get("csrftoken")
    assert token
    with _client(pair.b) as b:
        b.cookies.set("csrftoken", token)
        fields = {"persona": "two-client", "next": "/"}
        forged = b.post("/login/dev", data={**fields, "csrftoken": token[:-4] + "AAAA"})
        assert forged.status_code == 403
        signed = b.post("/login/dev", data={**fields, "csrftoken": token})
        assert signed.status_code == 303, signed.status_code


def test_login_attempts_are_counted_across_both_processes(pair: Pair) -> None:
    _clear_login_attempts(pair.engine)
    try:
        codes = []
        for n in range(LOGIN_LIMIT + 2):
            base = (pair.a, pair.b)[n % 2]
            with _client(base) as c:
                c.get("/healthz")
                token = c.cookies.get("csrftoken") or ""
                fields = {"persona": "two-client", "next": "/", "csrftoken": token}
                codes.append(c.post("/login/dev", data=fields).status_code)
        # Each process alone saw half the attempts, under its limit; together they refuse.
        assert codes[:LOGIN_LIMIT] == [303] * LOGIN_LIMIT, codes
        assert codes[LOGIN_LIMIT:] == [429, 429], codes
    finally:
        _clear_login_attempts(pair.engine)


def _job_runs(logs: list[Path], job: str) -> list[dict[str, Any]]:
    runs = []
    for path in logs:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if record.get("msg") == "job done" and record.get("job") == job:
                runs.append({**record, "server": path.stem})
    return runs


def _job(engine: Engine) -> Job | None:
    with Session(engine, expire_on_commit=False) as s:
        return s.get(Job, AUTO_ACCEPT)


def test_a_due_job_runs_once_though_both_processes_poll(pair: Pair) -> None:
    # Both loops have started (each process synced the job list at its first pass).
    for path in pair.logs:
        _wait_for(lambda p=path: "job runner started" in p.read_text(), f"{path.stem}'s loop")
    first = _wait_for(lambda: (j := _job(pair.engine)) and j.last_run_at and j, "a first run")
    _wait_for(lambda: _job(pair.engine).lease_until is None, "the first run to end")  # type: ignore[union-attr]
    before = len(_job_runs(pair.logs, AUTO_ACCEPT))
    last_run = first.last_run_id
    for delivery_id in pair.deliveries:
        with Session(pair.engine) as s:
            old = datetime.now(UTC) - timedelta(days=60)
            due = update(Delivery).where(col(Delivery.id) == delivery_id)
            s.execute(due.values(created_at=old))
            # "Run now": due at once for both loops polling every 0.2 s.
            now = int(datetime.now(UTC).timestamp())
            s.execute(update(Job).where(col(Job.name) == AUTO_ACCEPT).values(next_run_at=now))
            s.commit()

        def done(run: str | None = last_run) -> Job | None:
            job = _job(pair.engine)
            return job if job and job.last_run_id != run and job.lease_until is None else None

        last_run = _wait_for(done, "the job to run").last_run_id
        time.sleep(1.0)  # five more polls of each loop: a second run would happen now
    runs = _job_runs(pair.logs, AUTO_ACCEPT)[before:]
    assert len(runs) == ROUNDS, runs
    assert [run["result"] for run in runs] == [[1, 0]] * ROUNDS
    with Session(pair.engine) as s:
        found = s.exec(select(Delivery).where(col(Delivery.id).in_(pair.deliveries))).all()
        assert {d.status for d in found} == {DeliveryStatus.auto_accepted}
        debits = s.exec(
            select(LedgerEntry.delivery_id).where(
                LedgerEntry.kind == EntryKind.delivery_debit,
                col(LedgerEntry.delivery_id).in_(pair.deliveries),
            )
        ).all()
    assert sorted(debits) == sorted(pair.deliveries), "a delivery was accepted twice"


def _search(base: str, words: str) -> dict[str, Any]:
    with _client(base) as c:
        answer = c.get("/api/v1/catalogue/search", params={"q": words})
        assert answer.status_code == 200
        return answer.json()  # type: ignore[no-any-return]


def test_a_listing_changed_through_one_process_is_found_by_a_search_on_the_other(
    pair: Pair,
) -> None:
    _clear_login_attempts(pair.engine)
    word = "Kuunsirppi" + uuid.uuid4().hex[:6]
    # B's own index is loaded and answers (not the plain database fallback) before the change.
    warm = _wait_for(lambda: (r := _search(pair.b, "Palvelu")) and not r["degraded"] and r, "B")
    assert pair.offer_id in [hit["offer_id"] for hit in warm["hits"]]
    assert _search(pair.b, word)["total"] == 0
    cookies = servers.login(pair.a, "two-provider")
    form = {
        "title_fi": f"{word} kotiapu",
        "category_id": str(pair.category_id),
        "unit": "hour",
        "price": "10,00",
        "delivery_modes": "home",
        "languages": "fi",
        "areas": "",
        "status": "published",
        "csrftoken": cookies["csrftoken"],
    }
    with _client(pair.a, cookies) as a:
        saved = a.post(f"/tuottaja/palvelut/{pair.offer_id}", data=form)
        assert saved.status_code == 303, saved.text
    found = _search(pair.b, word)
    assert not found["degraded"], "B answered from the database, not from its index"
    assert [hit["offer_id"] for hit in found["hits"]] == [pair.offer_id]
