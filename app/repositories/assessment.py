"""Who may read which assessments and goals (deny by default)."""

from __future__ import annotations

from sqlalchemy import false
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models.actor import Actor
from app.models.assessment import Assessment, AssessmentStatus
from app.models.goal import Goal
from app.models.user import Membership, Role


def caseload(actor: Actor) -> SelectOfScalar[int]:
    """User ids of the clients whose named case worker the actor is, in the actor's organisers."""
    return select(Membership.user_id).where(
        Membership.role == Role.client,
        Membership.case_worker_id == actor.user_id,
        col(Membership.organiser_id).in_(actor.organiser_ids(Role.case_worker)),
    )


def _is_client_side(actor: Actor) -> bool:
    return actor.on_behalf_of is not None or actor.has(Role.client)


def readable_assessments(actor: Actor) -> SelectOfScalar[Assessment]:
    """The client's own (any status); a case worker's clients' submitted ones; nothing else."""
    query = select(Assessment)
    if _is_client_side(actor):
        return query.where(Assessment.client_id == actor.subject_id)
    if actor.has(Role.case_worker):
        return query.where(
            Assessment.status == AssessmentStatus.submitted,
            col(Assessment.client_id).in_(caseload(actor)),
        )
    return query.where(false())


def readable_goals(actor: Actor) -> SelectOfScalar[Goal]:
    query = select(Goal)
    if _is_client_side(actor):
        return query.where(Goal.client_id == actor.subject_id)
    if actor.has(Role.case_worker):
        return query.where(col(Goal.client_id).in_(caseload(actor)))
    return query.where(false())
