"""What the organiser admin sees of the background jobs, and "run now".

"Run now" never runs a job in the request: it makes the job due now (`next_run_at = now`),
and the next pass of the job runner (`hebu worker`, or the development server's thread)
takes it under its lease like any due job."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.config import Settings
from app.errors import NotFound
from app.models.job import Job
from app.services.identity.mandates import FINLAND
from app.services.operations import registry


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
    waiting: bool  # due now, not yet taken by a runner


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
                waiting=bool(row and row.next_run_at <= at and row.lease_until is None),
            )
        )
    return views


def run_now(session: Session, settings: Settings, name: str, now: datetime) -> None:
    """Make the job due now; a runner's next pass starts it (a run already under way keeps
    its lease, and the job runs again once that run has finished)."""
    spec = next((s for s in registry.jobs(settings) if s.name == name), None)
    if spec is None:
        raise NotFound()
    at = int(now.timestamp())
    if session.get(Job, name) is None:
        session.add(Job(name=name, interval_seconds=spec.interval_seconds, next_run_at=at))
    else:
        session.execute(update(Job).where(col(Job.name) == name).values(next_run_at=at))
    session.flush()
