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
from app.repositories.scope import LOG_READS
from app.transactions import sqlite_write_begins


def make_engine(url: str, **overrides: Any) -> Engine:
    kwargs: dict[str, Any] = {"pool_pre_ping": True, **overrides}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "before_cursor_execute", sqlite_write_begins)
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Autocommit at the driver: SQLAlchemy's transaction emits no BEGIN of its own; the
    # write lock is taken at the first write (see app/transactions.py).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


def get_session(request: Request) -> Iterator[Session]:
    """FastAPI dependency: the request's unit of work on the app's engine.

    Its commit also writes the audit rows of the client data the request read
    (services.audit_reads); `app.deps` declares it with scope="function", so the commit runs
    before the response is sent.
    """
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        session.info[LOG_READS] = True
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
