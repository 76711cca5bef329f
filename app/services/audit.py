"""Writing and verifying the audit trail.

Every row carries the SHA-256 of its content and of the previous row, so any edit, deletion
or reordering of stored rows breaks the chain and `hebu audit verify` finds it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from app.models.actor import Actor
from app.models.audit import AuditAction, AuditEvent, AuditPurpose

GENESIS = "0" * 64


def _canonical(event: AuditEvent) -> str:
    body = {
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "on_behalf_of_id": event.on_behalf_of_id,
        "subject_id": event.subject_id,
        "action": str(event.action),
        "category": event.category,
        "record_type": event.record_type,
        "record_id": event.record_id,
        "purpose": str(event.purpose),
        "request_id": event.request_id,
        "details": event.details,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)


def compute_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256((prev_hash + _canonical(event)).encode()).hexdigest()


def _lock_chain(session: Session) -> None:
    # PostgreSQL: serialise appends so two requests never chain onto the same row.
    # SQLite already serialises writers (BEGIN IMMEDIATE).
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(703023)"))


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
    """Append one audit event. A client's reads of their own data are not logged.

    A read with an explicit `purpose` (e.g. an aggregate report view) is always logged.
    """
    if actor is not None:
        explicit = purpose is not None
        if subject_id is None:
            subject_id = actor.subject_id
        purpose = purpose or purpose_for(actor, subject_id)
        if (
            not explicit
            and action == AuditAction.read
            and actor.on_behalf_of is None
            and subject_id == actor.user_id
        ):
            return None
    _lock_chain(session)
    last = session.exec(
        select(AuditEvent.row_hash).order_by(col(AuditEvent.id).desc()).limit(1)
    ).first()
    prev = last or GENESIS
    event = AuditEvent(
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
        prev_hash=prev,
        row_hash="",
    )
    event.row_hash = compute_hash(prev, event)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainProblem:
    event_id: int | None
    problem: str


def verify_chain(events: Iterable[AuditEvent]) -> list[ChainProblem]:
    problems: list[ChainProblem] = []
    prev = GENESIS
    for event in events:
        if event.prev_hash != prev:
            problems.append(ChainProblem(event.id, "previous hash does not match"))
        if compute_hash(event.prev_hash, event) != event.row_hash:
            problems.append(ChainProblem(event.id, "row content does not match its hash"))
        prev = event.row_hash
    return problems


def verify(session: Session) -> list[ChainProblem]:
    events = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    return verify_chain(events)
