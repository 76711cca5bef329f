"""Writes that must outlive the request's transaction: each is its own unit of work.

A refusal's audit row, or ending an assistant's "acting for" after the mandate was found
ended, must survive the rollback of the request that found it. Such work is queued on the
request's session and run in a separate short session on the same engine once that
session's outermost transaction has ended (committed or rolled back). It cannot run sooner:
until then the request may hold SQLite's write lock or PostgreSQL row locks.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session

Work = Callable[[Session], None]

_KEY = "hebu_own_work"


def after_transaction(session: Session, work: Work) -> None:
    """Run `work(own_session)` and commit it once `session`'s transaction has ended."""
    session.info.setdefault(_KEY, []).append((session.get_bind(), work))


@event.listens_for(OrmSession, "after_transaction_end")
def _run_queued(session: OrmSession, transaction: SessionTransaction) -> None:
    if transaction.parent is not None or not session.info.get(_KEY):
        return  # a savepoint or an inner transaction: the outer one still runs
    queued = session.info.pop(_KEY)
    for bind, work in queued:
        with Session(bind) as own:
            work(own)
            own.commit()
