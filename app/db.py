"""Engine and the per-request session: one commit per request, rollback on error."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine
from starlette.requests import Request

from app.config import get_settings


def make_engine(url: str, **overrides: Any) -> Engine:
    kwargs: dict[str, Any] = {"pool_pre_ping": True, **overrides}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy emit BEGIN itself (see _sqlite_begin_immediate).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _sqlite_begin_immediate(conn: Any) -> None:
    # Transactions serialise at BEGIN instead of failing with SQLITE_BUSY when a read
    # transaction later upgrades to a write (WAL keeps readers outside unblocked).
    conn.exec_driver_sql("BEGIN IMMEDIATE")


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


def get_session(request: Request) -> Iterator[Session]:
    """FastAPI dependency: the request's unit of work on the app's engine."""
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        request.state.db_session = session  # the header's unread count reads through it
        try:
            yield session
            session.commit()
        except Exception:
            # Detach first: the error page can still read what was loaded (e.g. the
            # actor's memberships) instead of the rollback expiring it.
            session.expunge_all()
            session.rollback()
            raise
        finally:
            request.state.db_session = None  # ended: nothing may begin a transaction on it


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """The same unit of work for the CLI and background jobs."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise
