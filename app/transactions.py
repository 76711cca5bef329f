"""How a transaction takes its locks, on SQLite and PostgreSQL alike (no web code: services
use it).

SQLite: reads take no lock. Until a transaction writes, each SELECT reads the newest commit
(as READ COMMITTED does on PostgreSQL) and never blocks a writer. The first write (or
savepoint) begins the transaction with the write lock (BEGIN IMMEDIATE), so writers serialise
and a transaction never has to upgrade a stale read snapshot (SQLITE_BUSY_SNAPSHOT).

A decision that depends on what it read (a state change, a limit) is a guarded transition:
`lock_row` takes the row lock (PostgreSQL: SELECT ... FOR UPDATE; SQLite: the write lock) and
reads the row again under it; everything read after that is current until the commit.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

T = TypeVar("T", bound=SQLModel)

# Statements that only read: they run outside any SQLite transaction until the first write.
_SQLITE_READS = ("SELECT", "WITH", "PRAGMA", "EXPLAIN")


def sqlite_write_lock(dbapi_conn: Any) -> None:
    """Begin the SQLite transaction with the write lock unless it has begun."""
    if not dbapi_conn.in_transaction:
        dbapi_conn.execute("BEGIN IMMEDIATE")


def sqlite_write_begins(
    conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
) -> None:
    """Engine hook (`before_cursor_execute`): a write begins the transaction locked."""
    if conn.in_transaction() and not statement.lstrip().upper().startswith(_SQLITE_READS):
        sqlite_write_lock(conn.connection.dbapi_connection)


def write_lock(session: Session) -> None:
    """Take SQLite's write lock now, for the rest of the session's transaction (PostgreSQL:
    nothing; lock rows with `lock_row`)."""
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        sqlite_write_lock(conn.connection.dbapi_connection)


def lock_row(session: Session, model: type[T], row_id: Any) -> T:
    """The row re-read under its lock, for the rest of the transaction; NoResultFound when
    it is gone."""
    write_lock(session)
    pk = model.__table__.primary_key.columns.values()[0]  # type: ignore[attr-defined]
    return session.exec(
        select(model)
        .where(pk == row_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def add_once(session: Session, row: T) -> T | None:
    """Insert a row under a unique key in a savepoint; None when a concurrent request has
    taken the key first (the caller checked for it just before)."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return None
    return row
