"""Access-scoped queries of people and the audit trail (deny by default)."""

from __future__ import annotations

from sqlalchemy import false
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models.actor import Actor
from app.models.audit import AuditEvent
from app.models.mandate import Mandate
from app.models.user import Membership, Role, User
from app.repositories.scope import caseload, caseload_memberships, organiser_clients, read_of


def readable_caseload_clients(actor: Actor) -> SelectOfScalar[User]:
    """The clients in the actor's caseload, by name."""
    clients = select(User).where(col(User.id).in_(caseload(actor))).order_by(col(User.display_name))
    return read_of(clients, actor, "profile", "id")


def readable_caseload_membership(actor: Actor, client_id: int) -> SelectOfScalar[Membership]:
    """The client's membership that puts them in the actor's caseload (none if not)."""
    membership = caseload_memberships(actor).where(Membership.user_id == client_id)
    return read_of(membership, actor, "profile", "user_id")


def given_mandates(actor: Actor) -> SelectOfScalar[Mandate]:
    """The mandates the client has given (the client themself only, never an assistant)."""
    if actor.on_behalf_of is not None:
        return select(Mandate).where(false())
    return select(Mandate).where(Mandate.client_user_id == actor.user_id)


def received_mandates(actor: Actor) -> SelectOfScalar[Mandate]:
    """The mandates given to the actor as an assistant (live or not)."""
    return select(Mandate).where(Mandate.assistant_user_id == actor.user_id)


def readable_audit_events(actor: Actor) -> SelectOfScalar[AuditEvent]:
    """A client sees the events about themself; an organiser admin those of their clients."""
    query = select(AuditEvent)
    if actor.on_behalf_of is not None:
        return query.where(false())
    if actor.has(Role.admin):
        of_clients = query.where(col(AuditEvent.subject_id).in_(organiser_clients(actor)))
        return read_of(of_clients, actor, "audit_log", "subject_id")
    if actor.has(Role.client):
        return query.where(AuditEvent.subject_id == actor.user_id)
    return query.where(false())
