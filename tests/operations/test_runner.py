"""The job runner: a due job runs once however many runners race for it (threads on SQLite and
on PostgreSQL), a held lease keeps others out until it runs out, and a failure is recorded
and retried after a growing wait."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.models.job import Job
from app.services.operations import runner
from app.services.operations.runner import JobSpec

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _row(engine: Engine, name: str) -> Job:
    with Session(engine) as session:
        row = session.get(Job, name)
        assert row is not None
        return row


def test_racing_runners_run_each_due_job_once(engine: Engine) -> None:
    runs: Counter[str] = Counter()
    lock = threading.Lock()

    def counting(name: str) -> runner.JobFunction:
        def run(_engine: Engine, _now: datetime) -> None:
            with lock:
                runs[name] += 1
            time.sleep(0.05)  # long enough for every other runner to try the lease meanwhile

        return run

    # No rows yet: the racing runners also race to add them.
    specs = [JobSpec(f"job_{i}", 3600, counting(f"job_{i}")) for i in range(3)]
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def race(owner: str) -> None:
        try:
            start.wait()
            runner.run_due(engine, specs, now=T0, owner=owner)
        except BaseException as exc:  # noqa: BLE001 - reported by the assert below
            errors.append(exc)

    threads = [threading.Thread(target=race, args=(f"runner-{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert runs == {"job_0": 1, "job_1": 1, "job_2": 1}
    # Done: not due again until the interval has passed.
    assert runner.run_due(engine, specs, now=T0 + timedelta(seconds=3599)) == []
    assert len(runner.run_due(engine, specs, now=T0 + timedelta(seconds=3600))) == 3


def test_a_held_lease_keeps_others_out_until_it_runs_out(engine: Engine) -> None:
    spec = JobSpec("held", 60, lambda _e, _n: None, lease_seconds=600)
    runner.sync(engine, [spec], T0)
    assert runner.claim(engine, spec, "a/1", T0)
    assert not runner.claim(engine, spec, "b/1", T0 + timedelta(seconds=1))
    assert runner.run_one(engine, spec, T0 + timedelta(seconds=599), owner="b") is None
    # A crashed holder's lease runs out; then another runner takes over.
    assert runner.claim(engine, spec, "b/2", T0 + timedelta(seconds=601))
    assert _row(engine, "held").lease_owner == "b/2"


def test_a_failure_is_kept_and_retried_with_a_growing_wait(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    failing = {"on": True}

    def flaky(_engine: Engine, _now: datetime) -> str:
        if failing["on"]:
            raise RuntimeError("provider API down")
        return "ok"

    spec = JobSpec("flaky", 3600, flaky)
    with caplog.at_level(logging.ERROR, logger="app.services.operations.runner"):
        outcome = runner.run_due(engine, [spec], now=T0)[0]
    assert not outcome.ok
    failed = [r for r in caplog.records if r.getMessage() == "job failed"]
    assert [(r.job, r.attempt, r.run_id) for r in failed] == [("flaky", 1, outcome.run_id)]  # type: ignore[attr-defined]
    row = _row(engine, "flaky")
    assert row.attempts == 1
    assert row.last_error == "RuntimeError: provider API down"
    assert row.next_run_at == int(T0.timestamp()) + 30
    assert row.lease_until is None and row.last_run_id == outcome.run_id

    assert runner.run_due(engine, [spec], now=T0 + timedelta(seconds=29)) == []
    runner.run_due(engine, [spec], now=T0 + timedelta(seconds=30))
    row = _row(engine, "flaky")
    assert row.attempts == 2
    assert row.next_run_at == int(T0.timestamp()) + 30 + 60

    failing["on"] = False
    again = T0 + timedelta(seconds=90)
    assert runner.run_due(engine, [spec], now=again)[0].ok
    row = _row(engine, "flaky")
    assert (row.attempts, row.last_error) == (0, None)
    assert row.next_run_at == int(again.timestamp()) + 3600


def test_backoff_doubles_up_to_the_interval_or_an_hour() -> None:
    assert [runner.backoff_seconds(n, 86_400) for n in (1, 2, 3, 8, 20)] == [
        30,
        60,
        120,
        3600,
        3600,
    ]
    assert runner.backoff_seconds(5, 60) == 60  # a minutely job retries within its minute


def test_a_runner_that_lost_its_lease_does_not_overwrite_the_new_run(engine: Engine) -> None:
    spec = JobSpec("slow", 60, lambda _e, _n: None, lease_seconds=10)
    runner.sync(engine, [spec], T0)
    assert runner.claim(engine, spec, "old/1", T0)
    assert runner.claim(engine, spec, "new/1", T0 + timedelta(seconds=11))
    runner._finish(engine, spec, "old/1", T0, attempts=0, last_error="late")
    row = _row(engine, "slow")
    assert row.lease_owner == "new/1" and row.last_error is None
