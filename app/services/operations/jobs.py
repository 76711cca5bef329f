"""What the organiser admin sees of the background jobs, and "run now"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.config import Settings
from app.errors import NotFound
from app.models.job import Job
from app.repositories import own_work
from app.services.identity.mandates import FINLAND
from app.services.operations import registry, runner


@dataclass(frozen=True)
class JobView:
    name: str
    interval_seconds: int
    next_run_at: datetime | None
    last_run_at: datetime | None
    last_error: str | None
    last_duration_ms: int | None
    attempts: int
    running: bool


def _at(seconds: int | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, FINLAND)


def job_views(session: Session, settings: Settings, now: datetime) -> list[JobView]:
    """Every registered job in the registry's order (one never run yet has no row)."""
    rows = {row.name: row for row in session.exec(select(Job)).all()}
    at = int(now.timestamp())
    views = []
    for spec in registry.jobs(settings):
        row = rows.get(spec.name)
        views.append(
            JobView(
                name=spec.name,
                interval_seconds=spec.interval_seconds,
                next_run_at=_at(row.next_run_at) if row else None,
                last_run_at=_at(row.last_run_at) if row else None,
                last_error=row.last_error if row else None,
                last_duration_ms=row.last_duration_ms if row else None,
                attempts=row.attempts if row else 0,
                running=bool(row and row.lease_until is not None and row.lease_until >= at),
            )
        )
    return views


def run_now(session: Session, settings: Settings, name: str, now: datetime) -> None:
    """Make the job due now and run it once the request's transaction has ended (the runner
    takes the lease as always: a run already under way elsewhere is not doubled)."""
    spec = next((s for s in registry.jobs(settings) if s.name == name), None)
    if spec is None:
        raise NotFound()
    at = int(now.timestamp())
    if session.get(Job, name) is None:
        session.add(Job(name=name, interval_seconds=spec.interval_seconds, next_run_at=at))
    else:
        session.execute(update(Job).where(col(Job.name) == name).values(next_run_at=at))
    session.flush()

    def run(own: Session) -> None:
        runner.run_one(own.get_bind(), spec)  # type: ignore[arg-type]

    own_work.after_transaction(session, run)
