"""Writing and verifying the audit trail.

Every row carries an HMAC-SHA256 (keyed with `HEBU_AUDIT_KEY`) of its content and of the
previous row's hash, so an edit, deletion or reordering breaks the chain, and without the key
no one can recompute the later hashes to hide it. The head row (`audit_head`), updated and
sealed with the same key in the transaction of every append, records where the chain ends:
deleting the newest rows is found too. `hebu audit verify` checks both.

Rows written before the key existed (up to the head's `legacy_last_id`) keep their plain
SHA-256 chain; the head pins that part's last hash, so it cannot be rewritten either.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import event as sa_event
from sqlalchemy.orm import ORMExecuteState, SessionTransaction
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from app.models.actor import Actor
from app.models.audit import AuditAction, AuditEvent, AuditHead, AuditPurpose
from app.repositories import own_work
from app.services import audit_reads  # also installs the structural read log
from app.services.audit_hash import GENESIS, compute_hash, head_mac, legacy_hash
from app.transactions import write_lock

# Explicit events that also log reading their subject's data (no structural read beside them).
LOGS_A_READ = (AuditAction.read, AuditAction.search, AuditAction.export)
HEAD_ID = 1


def _locked_head(session: Session) -> AuditHead:
    """The chain's head, locked for this transaction: appends queue on it, so two requests
    never chain onto the same row (PostgreSQL: SELECT ... FOR UPDATE re-reads the committed
    head after the wait; SQLite: the write lock is taken before the head is read)."""
    write_lock(session)
    head = session.exec(
        select(AuditHead)
        .where(AuditHead.id == HEAD_ID)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if head is None:  # created by migration 0010; its absence is itself tampering
        raise RuntimeError("audit_head is missing: the audit chain cannot be extended")
    return head


def purpose_for(actor: Actor, subject_id: int | None) -> AuditPurpose:
    if actor.on_behalf_of is not None:
        return AuditPurpose.mandate
    if subject_id is not None and subject_id == actor.user_id:
        return AuditPurpose.own
    from app.models.user import Role  # local: keeps this module's imports minimal

    roles = actor.roles()
    if Role.case_worker in roles:
        return AuditPurpose.care
    if Role.admin in roles:
        return AuditPurpose.admin
    if roles & {Role.provider_owner, Role.provider_editor}:
        return AuditPurpose.provider
    return AuditPurpose.system


def _client_side(actor: Actor) -> bool:
    from app.models.user import Role  # local: keeps this module's imports minimal

    return actor.on_behalf_of is not None or actor.has(Role.client)


def build_event(
    actor: Actor | None,
    action: AuditAction,
    category: str,
    *,
    subject_id: int | None,
    details: dict[str, Any] | None = None,
) -> AuditEvent | None:
    """An event to append (None for a client's own read), not yet chained."""
    return _event(
        actor,
        action,
        category,
        subject_id=subject_id,
        record_type=None,
        record_id=None,
        purpose=None,
        details=details,
    )


def _event(
    actor: Actor | None,
    action: AuditAction,
    category: str,
    *,
    subject_id: int | None,
    record_type: str | None,
    record_id: Any,
    purpose: AuditPurpose | None,
    details: dict[str, Any] | None,
) -> AuditEvent | None:
    """The event to append, or None for a client's read of their own data (not logged).

    A read with an explicit `purpose` (e.g. an aggregate report view) is always logged.
    """
    if actor is not None:
        explicit = purpose is not None
        if subject_id is None:
            if action == AuditAction.read and not explicit and not _client_side(actor):
                # Not silently an "own read" (dropped): a staff read names its client.
                raise ValueError(f"a {category} read by staff names the client read")
            subject_id = actor.subject_id
        purpose = purpose or purpose_for(actor, subject_id)
        if (
            not explicit
            and action == AuditAction.read
            and actor.on_behalf_of is None
            and subject_id == actor.user_id
        ):
            return None
    return AuditEvent(
        actor_id=actor.user_id if actor else None,
        on_behalf_of_id=actor.on_behalf_of.id if actor and actor.on_behalf_of else None,
        subject_id=subject_id,
        action=action,
        category=category,
        record_type=record_type,
        record_id=None if record_id is None else str(record_id),
        purpose=purpose or AuditPurpose.system,
        request_id=actor.request_id if actor else None,
        details=details,
        prev_hash=GENESIS,
        row_hash="",
    )


def _append(session: Session, event: AuditEvent) -> AuditEvent:
    """Chain the event onto the head, add it to the session and move the head onto it."""
    append_many(session, [event])
    return event


def append_many(session: Session, events: list[AuditEvent]) -> None:
    """Chain the events onto the head in order, insert them in one batch, move the head."""
    head = _locked_head(session)
    prev = head.last_hash
    for event in events:
        event.prev_hash = prev
        event.row_hash = prev = compute_hash(prev, event)
    session.add_all(events)
    session.flush()
    assert events[-1].id is not None
    head.last_id, head.last_hash = events[-1].id, events[-1].row_hash
    head.row_count += len(events)
    head.mac = head_mac(head)
    session.add(head)
    session.flush()


def record(
    session: Session,
    actor: Actor | None,
    action: AuditAction,
    category: str,
    *,
    subject_id: int | None = None,
    record_type: str | None = None,
    record_id: Any = None,
    purpose: AuditPurpose | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent | None:
    """Add one audit event to the session's unit of work (chained at its commit, see below).
    A client's reads of their own
    data are not logged; a read with an explicit `purpose` always is."""
    event = _event(
        actor,
        action,
        category,
        subject_id=subject_id,
        record_type=record_type,
        record_id=record_id,
        purpose=purpose,
        details=details,
    )
    if event is None:
        return None
    if actor is not None and action in LOGS_A_READ and event.subject_id is not None:
        audit_reads.mark_logged(session, actor, event.subject_id)
    return _queue(session, event)


# --- appends: chained when the transaction commits ------------------------------------------
#
# The chain needs one order, so appends queue on the head row's lock. Taken at the first
# audited write, that lock would be held for the rest of every audited transaction (a global
# lock: on PostgreSQL every audited request would wait for every other), and taken before a
# budget's lock by one request and after it by another, the two could deadlock. So `record`
# only queues the event; it is chained onto the head in `before_commit`, the last thing the
# transaction does: the head is locked for the commit alone and always after every other lock.
# An event queued inside a savepoint that rolls back (a refused form) is dropped with it.

_PENDING_KEY = "hebu_audit_pending"


def _queue(session: Session, event: AuditEvent) -> AuditEvent:
    session.connection()  # begun, so a rollback of this transaction drops the event
    tag = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_PENDING_KEY, []).append((tag, event))
    return event


@sa_event.listens_for(OrmSession, "after_soft_rollback")
def _drop_rolled_back(session: OrmSession, previous: SessionTransaction) -> None:
    pending = session.info.get(_PENDING_KEY)
    if pending:
        session.info[_PENDING_KEY] = [(t, e) for t, e in pending if not _within(t, previous)]


def _within(tag: SessionTransaction | None, transaction: SessionTransaction) -> bool:
    while tag is not None:
        if tag is transaction:
            return True
        tag = tag.parent
    return False


@sa_event.listens_for(OrmSession, "before_commit")
def _append_pending(session: OrmSession) -> None:
    pending = session.info.pop(_PENDING_KEY, None)
    for _tag, event in pending or ():
        _append(session, event)  # type: ignore[arg-type]


@sa_event.listens_for(OrmSession, "do_orm_execute")
def _append_before_audit_reads(state: ORMExecuteState) -> None:
    # Like autoflush: a transaction that reads the trail sees its own events in it.
    if state.session.info.get(_PENDING_KEY) and any(
        mapper.class_ in (AuditEvent, AuditHead) for mapper in state.all_mappers
    ):
        _append_pending(state.session)


class StoredRow(Protocol):
    """A database row as the audit trail names it: by its id."""

    @property
    def id(self) -> int | None: ...


def record_saved(
    session: Session,
    actor: Actor | None,
    action: AuditAction,
    category: str,
    row: StoredRow,
    record_type: str,
    *,
    subject_id: int | None = None,
    purpose: AuditPurpose | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent | None:
    """Save a new or changed row and log the change to it, both now.

    Adds `row` to the session and flushes it (so a new row has its id), then appends the
    event at once (not at commit, so it has its id too): it names the row as `record_type`
    with its id. Not for money paths: the chain's head stays locked until the commit.
    """
    session.add(row)
    session.flush()
    event = record(
        session,
        actor,
        action,
        category,
        subject_id=subject_id,
        record_type=record_type,
        record_id=row.id,
        purpose=purpose,
        details=details,
    )
    _append_pending(session)  # chained now, after what this transaction logged before it
    return event


# --- refusals: their own unit of work -------------------------------------------------------


def record_refusal(
    session: Session,
    actor: Actor,
    category: str,
    *,
    record_type: str,
    record_id: Any,
    subject_id: int | None = None,
) -> None:
    """Log a refused attempt (`denied`) so that it survives the request's rollback.

    The refusal is its own unit of work (`app.repositories.own_work`): written and committed
    once `session`'s transaction has ended, since the 403 rolls that back as a whole.
    """
    event = _event(
        actor,
        AuditAction.denied,
        category,
        subject_id=subject_id,
        record_type=record_type,
        record_id=record_id,
        purpose=None,
        details=None,
    )
    if event is not None:
        own_work.after_transaction(session, lambda own: _append(own, event))


@dataclass(frozen=True)
class ChainProblem:
    event_id: int | None
    problem: str


def verify_chain(events: Iterable[AuditEvent], head: AuditHead | None) -> list[ChainProblem]:
    """Every link and row hash, the legacy part's end, and that the chain ends at its head."""
    if head is None:
        return [ChainProblem(None, "the chain's head (audit_head) is missing")]
    problems: list[ChainProblem] = []
    if not hmac.compare_digest(head_mac(head), head.mac):
        problems.append(ChainProblem(None, "the chain's head does not match the audit key"))
    prev, legacy_end, last_id, count = GENESIS, GENESIS, 0, 0
    for event in events:
        assert event.id is not None
        legacy = event.id <= head.legacy_last_id
        if event.prev_hash != prev:
            problems.append(ChainProblem(event.id, "previous hash does not match"))
        expected = (legacy_hash if legacy else compute_hash)(event.prev_hash, event)
        if not hmac.compare_digest(expected, event.row_hash):
            problems.append(ChainProblem(event.id, "row content does not match its hash"))
        if legacy:
            legacy_end = event.row_hash
        prev, last_id, count = event.row_hash, event.id, count + 1
    if legacy_end != head.legacy_last_hash:
        problems.append(
            ChainProblem(head.legacy_last_id, "the rows from before the key were changed")
        )
    if (last_id, prev, count) != (head.last_id, head.last_hash, head.row_count):
        problems.append(
            ChainProblem(
                head.last_id,
                f"the chain ends at event {last_id} after {count} rows, its head at event "
                f"{head.last_id} after {head.row_count}: rows were removed or added",
            )
        )
    return problems


def verify(session: Session) -> list[ChainProblem]:
    """Check the stored rows as they are now (not as this session last saw them)."""
    fresh = {"populate_existing": True}
    events = session.exec(
        select(AuditEvent).order_by(col(AuditEvent.id)).execution_options(**fresh)
    ).all()
    head = session.exec(
        select(AuditHead).where(AuditHead.id == HEAD_ID).execution_options(**fresh)
    ).first()
    return verify_chain(events, head)
