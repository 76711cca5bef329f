"""Structural read logging: every non-client read of client data gets its audit row.

The readable builders mark their queries (`repositories.scope.read_of`). When a request's
session (`LOG_READS`, set by app.db.get_session) executes a marked query, the clients of the
rows it returned are registered on the session's collector (`session.info`); just before the
session commits (before the response is sent: app.deps), the collector becomes
audit rows in the same transaction: one `read` per (actor, client), appended in one batch,
with the purpose (`audit.purpose_for`: care, mandate, provider, admin) and on whose behalf an
assistant acted. A client's reads of their own data are not registered. A read already logged
explicitly with `audit.record` (with its record type and id) is not logged twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from app.models.actor import Actor
from app.models.audit import AuditAction, AuditEvent
from app.models.budget import Budget
from app.repositories.scope import LOG_READS, READ_OPTION, ReadOf

_READS_KEY = "hebu_audit_reads"
_LOGGED_KEY = "hebu_audit_reads_logged"

# (actor's user id, id of the client acted for or None, client read)
ReadKey = tuple[int, int | None, int]


@dataclass
class _Read:
    actor: Actor
    categories: list[str] = field(default_factory=list)
    budget_ids: set[int] = field(default_factory=set)  # still to be resolved to the client


def _key(actor: Actor, subject_id: int) -> ReadKey:
    acting_for = actor.on_behalf_of.id if actor.on_behalf_of is not None else None
    return actor.user_id, acting_for, subject_id


def is_own(actor: Actor, subject_id: int) -> bool:
    return actor.on_behalf_of is None and subject_id == actor.user_id


def mark_logged(session: OrmSession, actor: Actor, subject_id: int) -> None:
    """`audit.record` logged this read itself: the collector leaves it out."""
    session.info.setdefault(_LOGGED_KEY, set()).add(_key(actor, subject_id))


def _register(session: OrmSession, mark: ReadOf, subjects: Iterable[int]) -> None:
    pending: dict[Any, _Read] = session.info.setdefault(_READS_KEY, {})
    for subject_id in subjects:
        key: Any = ("budget", *_key(mark.actor, subject_id)) if mark.via_budget else None
        if key is None:
            if is_own(mark.actor, subject_id):
                continue
            key = _key(mark.actor, subject_id)
        read = pending.setdefault(key, _Read(mark.actor))
        if mark.category not in read.categories:
            read.categories.append(mark.category)


@sa_event.listens_for(OrmSession, "do_orm_execute")
def _collect(state: ORMExecuteState) -> Any:
    mark = state.execution_options.get(READ_OPTION)
    if not isinstance(mark, ReadOf) or not state.is_select or not state.session.info.get(LOG_READS):
        return None
    frozen = state.invoke_statement().freeze()
    if mark.by_column:
        rows = frozen().all()
        subjects = {v for row in rows if isinstance(v := row._mapping.get(mark.subject), int)}
    else:
        subjects = {
            value
            for row in frozen().all()
            for item in row
            if isinstance(item, mark.entity)
            and isinstance(value := getattr(item, mark.subject, None), int)
        }
    _register(state.session, mark, subjects)
    return frozen()


def _resolve_budgets(session: OrmSession, pending: dict[Any, _Read]) -> dict[ReadKey, _Read]:
    """The collector keyed by client: budget ids (orders, deliveries) become their client."""
    by_client: dict[ReadKey, _Read] = {k: r for k, r in pending.items() if k[0] != "budget"}
    by_budget = {k: r for k, r in pending.items() if k[0] == "budget"}
    if not by_budget:
        return by_client
    budget_ids = {k[3] for k in by_budget}
    owners = dict(
        session.execute(
            select(Budget.id, Budget.client_id).where(col(Budget.id).in_(budget_ids))
        ).all()
    )
    for key, read in by_budget.items():
        client_id = owners.get(key[3])
        if client_id is None or is_own(read.actor, client_id):
            continue
        merged = by_client.setdefault(_key(read.actor, client_id), _Read(read.actor))
        merged.categories += [c for c in read.categories if c not in merged.categories]
    return by_client


@sa_event.listens_for(OrmSession, "before_commit")
def _write_reads(session: OrmSession) -> None:
    pending: dict[Any, _Read] | None = session.info.pop(_READS_KEY, None)
    logged: set[ReadKey] = session.info.pop(_LOGGED_KEY, set())
    if not pending:
        return
    from app.services import audit  # local: audit imports this module to install it

    reads = _resolve_budgets(session, pending)
    events: list[AuditEvent] = []
    for key in sorted((k for k in reads if k not in logged), key=lambda k: (k[0], k[1] or 0, k[2])):
        read = reads[key]
        event = audit.build_event(
            read.actor,
            AuditAction.read,
            read.categories[0],
            subject_id=key[2],
            details={"categories": read.categories} if len(read.categories) > 1 else None,
        )
        if event is not None:
            events.append(event)
    if events:
        assert isinstance(session, Session)
        audit.append_many(session, events)
