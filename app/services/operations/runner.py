"""The job runner: runs due jobs from the `job` table, each under a compare-and-set lease.

A run is taken with one `UPDATE job SET lease… WHERE name = :n AND (lease_until IS NULL OR
lease_until < :now) AND next_run_at <= :now`; the runner whose update changed the row (rowcount
1) runs the job, every other runner (thread or process, SQLite or PostgreSQL) sees rowcount 0
and skips it. The lease outlives a crashed runner by at most `lease_seconds`; a job that may run
longer than its lease must say so in its `JobSpec`. The run is finished by the lease holder
only (`lease_owner` carries the run id), so a runner whose lease was taken over cannot
overwrite the newer run's record.

A failure is logged with the job, the attempt and the run id, kept in `last_error`, and retried
after an exponential backoff (30 s, 1 min, 2 min … at most the job's interval or an hour).

The runner owns its units of work: each claim, job and finish commits its own session.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import or_, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.models.job import Job

log = logging.getLogger(__name__)

RETRY_BASE_SECONDS = 30
RETRY_MAX_SECONDS = 3600
ERROR_CHARS = 2000

JobFunction = Callable[[Engine, datetime], object]


@dataclass(frozen=True)
class JobSpec:
    name: str
    interval_seconds: int
    run: JobFunction
    lease_seconds: int = 600


@dataclass(frozen=True)
class Outcome:
    name: str
    run_id: str
    ok: bool
    error: str | None = None  # what failed; the result of a good run is only logged


def in_session(work: Callable[[Session, datetime], object]) -> JobFunction:
    """A job written against a session: run in its own unit of work, committed on success."""

    def run(engine: Engine, now: datetime) -> object:
        with Session(engine, expire_on_commit=False) as session:
            result = work(session, now)
            session.commit()
            return result

    return run


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def backoff_seconds(attempts: int, interval_seconds: int) -> int:
    """Wait before retry number `attempts` (1, 2, …): doubling, capped."""
    cap = max(RETRY_BASE_SECONDS, min(interval_seconds, RETRY_MAX_SECONDS))
    return int(min(RETRY_BASE_SECONDS * 2 ** (attempts - 1), cap))


def _ts(moment: datetime) -> int:
    return int(moment.timestamp())


def sync(engine: Engine, specs: Iterable[JobSpec], now: datetime) -> None:
    """Add a row for each job not in the table yet (due now); keep intervals up to date. One
    short transaction a pass; a row another runner added meanwhile is left to it."""
    with Session(engine) as session:
        rows = {row.name: row for row in session.exec(select(Job)).all()}
        for spec in specs:
            row = rows.get(spec.name)
            if row is None:
                interval = spec.interval_seconds
                session.add(Job(name=spec.name, interval_seconds=interval, next_run_at=_ts(now)))
            elif row.interval_seconds != spec.interval_seconds:
                row.interval_seconds = spec.interval_seconds
        try:
            session.commit()
        except IntegrityError:
            session.rollback()  # another runner added them first; the next pass sees them


def claim(engine: Engine, spec: JobSpec, owner: str, now: datetime) -> bool:
    """Take the job's lease if it is due and free (or its lease has run out)."""
    at = _ts(now)
    with Session(engine) as session:
        taken = session.execute(
            update(Job)
            .where(
                col(Job.name) == spec.name,
                or_(col(Job.lease_until).is_(None), col(Job.lease_until) < at),
                col(Job.next_run_at) <= at,
            )
            .values(lease_owner=owner, lease_until=at + spec.lease_seconds)
        )
        session.commit()
    return taken.rowcount == 1  # type: ignore[attr-defined]


def _finish(engine: Engine, spec: JobSpec, owner: str, started: datetime, **values: object) -> None:
    with Session(engine) as session:
        session.execute(
            update(Job)
            .where(col(Job.name) == spec.name, col(Job.lease_owner) == owner)
            .values(lease_owner=None, lease_until=None, last_run_at=_ts(started), **values)
        )
        session.commit()


def run_one(
    engine: Engine, spec: JobSpec, now: datetime | None = None, owner: str | None = None
) -> Outcome | None:
    """Run the job once if this runner wins its lease; None when it was not due or taken."""
    started = now or datetime.now(UTC)
    run_id = uuid.uuid4().hex[:16]
    lease_owner = f"{owner or worker_id()}/{run_id}"
    if not claim(engine, spec, lease_owner, started):
        return None
    row = _row(engine, spec.name)
    attempt = (row.attempts if row else 0) + 1
    context = {"job": spec.name, "attempt": attempt, "run_id": run_id}
    clock = time.monotonic()
    try:
        result = spec.run(engine, started)
    except Exception as exc:
        duration = int((time.monotonic() - clock) * 1000)
        log.exception("job failed", extra=context)
        _finish(
            engine,
            spec,
            lease_owner,
            started,
            attempts=attempt,
            last_run_id=run_id,
            last_error=f"{type(exc).__name__}: {exc}"[:ERROR_CHARS],
            last_duration_ms=duration,
            next_run_at=_ts(started) + backoff_seconds(attempt, spec.interval_seconds),
        )
        return Outcome(spec.name, run_id, ok=False, error=str(exc))
    duration = int((time.monotonic() - clock) * 1000)
    log.info("job done", extra={**context, "result": result, "duration_ms": duration})
    _finish(
        engine,
        spec,
        lease_owner,
        started,
        attempts=0,
        last_run_id=run_id,
        last_error=None,
        last_duration_ms=duration,
        next_run_at=_ts(started) + spec.interval_seconds,
    )
    return Outcome(spec.name, run_id, ok=True)


def _row(engine: Engine, name: str) -> Job | None:
    with Session(engine, expire_on_commit=False) as session:
        return session.get(Job, name)


def due_names(engine: Engine, now: datetime) -> set[str]:
    with Session(engine) as session:
        return set(session.exec(select(Job.name).where(col(Job.next_run_at) <= _ts(now))).all())


def run_due(
    engine: Engine,
    specs: Sequence[JobSpec],
    now: datetime | None = None,
    owner: str | None = None,
) -> list[Outcome]:
    """One pass: every due job this runner wins is run once (in the registry's order)."""
    moment = now or datetime.now(UTC)
    sync(engine, specs, moment)
    due = due_names(engine, moment)
    outcomes = []
    for spec in specs:
        if spec.name in due:
            outcome = run_one(engine, spec, moment, owner)
            if outcome is not None:
                outcomes.append(outcome)
    return outcomes


def loop(
    engine: Engine, specs: Sequence[JobSpec], poll_seconds: float, stop: threading.Event
) -> None:
    """Run passes until `stop` is set; a pass that fails (the database is away) is logged and
    the loop goes on."""
    owner = worker_id()
    log.info("job runner started", extra={"owner": owner, "poll_seconds": poll_seconds})
    while not stop.is_set():
        try:
            run_due(engine, specs, owner=owner)
        except Exception:
            log.exception("job runner pass failed", extra={"owner": owner})
        stop.wait(poll_seconds)
    log.info("job runner stopped", extra={"owner": owner})
