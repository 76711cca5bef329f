"""Access-scoped queries of the audit trail (deny by default)."""

from __future__ import annotations

from sqlalchemy import false
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models.actor import Actor
from app.models.audit import AuditEvent
from app.models.user import Membership, Role


def organiser_client_ids(actor: Actor) -> SelectOfScalar[int]:
    """User ids of the clients of the organisers this actor administers."""
    return select(Membership.user_id).where(
        Membership.role == Role.client,
        col(Membership.organiser_id).in_(actor.organiser_ids(Role.admin)),
    )


def readable_audit_events(actor: Actor) -> SelectOfScalar[AuditEvent]:
    """A client sees the events about themself; an organiser admin those of their clients."""
    query = select(AuditEvent)
    if actor.on_behalf_of is not None:
        return query.where(false())
    if actor.has(Role.admin):
        return query.where(col(AuditEvent.subject_id).in_(organiser_client_ids(actor)))
    if actor.has(Role.client):
        return query.where(AuditEvent.subject_id == actor.user_id)
    return query.where(false())
