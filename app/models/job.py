"""Scheduled background jobs: one row per job, shared by every process that runs them."""

from __future__ import annotations

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel


class Job(SQLModel, table=True):
    """A job's schedule and its last run. Times are Unix seconds (UTC), so the lease check
    compares integers the same way on SQLite and PostgreSQL.

    A runner may run the job only while it holds the lease: it takes it with one
    compare-and-set `UPDATE` (free or expired lease, and due), so two processes never run the
    same job at once. `attempts` counts failures in a row; it sets the retry backoff."""

    __tablename__ = "job"

    name: str = Field(primary_key=True, max_length=60)
    interval_seconds: int
    next_run_at: int = Field(sa_type=BigInteger, index=True)
    lease_owner: str | None = Field(default=None, max_length=120)
    lease_until: int | None = Field(default=None, sa_type=BigInteger)
    attempts: int = 0
    last_run_at: int | None = Field(default=None, sa_type=BigInteger)
    last_run_id: str | None = Field(default=None, max_length=32)
    last_error: str | None = Field(default=None, max_length=2000)
    last_duration_ms: int | None = None
