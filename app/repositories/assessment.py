"""Who may read which assessments and goals (deny by default)."""

from __future__ import annotations

from sqlalchemy import false
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models.actor import Actor
from app.models.assessment import Assessment, AssessmentStatus
from app.models.goal import Goal
from app.models.user import Role
from app.repositories.scope import caseload, client_side_id


def readable_assessments(actor: Actor) -> SelectOfScalar[Assessment]:
    """The client's own (any status); a case worker's clients' submitted ones; nothing else."""
    query = select(Assessment)
    client_id = client_side_id(actor)
    if client_id is not None:
        return query.where(Assessment.client_id == client_id)
    if actor.has(Role.case_worker):
        return query.where(
            Assessment.status == AssessmentStatus.submitted,
            col(Assessment.client_id).in_(caseload(actor)),
        )
    return query.where(false())


def readable_goals(actor: Actor) -> SelectOfScalar[Goal]:
    query = select(Goal)
    client_id = client_side_id(actor)
    if client_id is not None:
        return query.where(Goal.client_id == client_id)
    if actor.has(Role.case_worker):
        return query.where(col(Goal.client_id).in_(caseload(actor)))
    return query.where(false())
