"""Access-scoped queries for teaming checkpoints (the named worker's caseload) and their
invitations (the invited providers' members). Deny by default."""

from __future__ import annotations

from typing import Any

from sqlalchemy import false
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models.actor import Actor
from app.models.teaming import TeamingCheckpoint, TeamingInvitation
from app.models.user import Role, User
from app.repositories.scope import caseload, read_of


def readable_caseload_checkpoints(actor: Actor) -> SelectOfScalar[TeamingCheckpoint]:
    """The teaming checkpoints of the clients whose named worker the actor is."""
    if not actor.has(Role.case_worker):
        return select(TeamingCheckpoint).where(false())
    rows = select(TeamingCheckpoint).where(col(TeamingCheckpoint.client_id).in_(caseload(actor)))
    return read_of(rows, actor, "teaming")


def readable_invitation_columns(actor: Actor, *columns: Any) -> Any:
    """`columns` of the invitations of the actor's providers, joined to their checkpoint and
    client (`User`); the columns must include `TeamingCheckpoint.client_id` labelled
    `client_id` (the read is logged per client)."""
    stmt = (
        select(*columns)
        .select_from(TeamingInvitation)
        .join(TeamingCheckpoint, col(TeamingCheckpoint.id) == col(TeamingInvitation.checkpoint_id))
        .join(User, col(User.id) == col(TeamingCheckpoint.client_id))
    )
    ids = actor.provider_ids()
    stmt = stmt.where(col(TeamingInvitation.provider_id).in_(ids) if ids else false())
    return read_of(stmt, actor, "teaming", by_column=True)
