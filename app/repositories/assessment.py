"""Who may read which assessments and goals (deny by default)."""

from __future__ import annotations

from sqlalchemy import false
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models.actor import Actor
from app.models.assessment import Assessment, AssessmentStatus
from app.models.goal import Goal
from app.models.user import Role
from app.repositories.scope import caseload, client_side_id, read_of


def own_assessments(actor: Actor) -> SelectOfScalar[Assessment]:
    """The assessments of the client the actor is or acts for (any status)."""
    client_id = client_side_id(actor)
    own = select(Assessment).where(
        false() if client_id is None else Assessment.client_id == client_id
    )
    return read_of(own, actor, "assessment")


def own_goals(actor: Actor) -> SelectOfScalar[Goal]:
    """The goals of the client the actor is or acts for."""
    client_id = client_side_id(actor)
    own = select(Goal).where(false() if client_id is None else Goal.client_id == client_id)
    return read_of(own, actor, "goal")


def readable_assessments(actor: Actor) -> SelectOfScalar[Assessment]:
    """The client's own (any status); a case worker's clients' submitted ones; nothing else."""
    if client_side_id(actor) is not None:
        return own_assessments(actor)
    if actor.has(Role.case_worker):
        submitted = select(Assessment).where(
            Assessment.status == AssessmentStatus.submitted,
            col(Assessment.client_id).in_(caseload(actor)),
        )
        return read_of(submitted, actor, "assessment")
    return select(Assessment).where(false())


def readable_goals(actor: Actor) -> SelectOfScalar[Goal]:
    """The client's own goals; a case worker's clients' goals; nothing else."""
    if client_side_id(actor) is not None:
        return own_goals(actor)
    if actor.has(Role.case_worker):
        return read_of(select(Goal).where(col(Goal.client_id).in_(caseload(actor))), actor, "goal")
    return select(Goal).where(false())
