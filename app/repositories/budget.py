"""Access-scoped queries for budgets, plan lines (orders) and deliveries. Deny by default."""

from __future__ import annotations

from typing import Any

from sqlalchemy import false
from sqlmodel import col, select

from app.models.actor import Actor
from app.models.budget import Budget, PlanLine
from app.models.goal import Goal, GoalPlanLink
from app.models.ledger import Delivery
from app.models.user import Membership, Role


def client_budgets(actor: Actor) -> Any:
    """The budgets of the client the actor is (or acts for under a mandate)."""
    if actor.on_behalf_of is None and Role.client not in actor.roles():
        return select(Budget).where(false())
    return select(Budget).where(Budget.client_id == actor.subject_id)


def caseworker_budgets(actor: Actor) -> Any:
    """Only the case-worker view (never the actor's own budget)."""
    if Role.case_worker not in actor.roles():
        return select(Budget).where(false())
    own_clients = select(Membership.user_id).where(
        Membership.role == Role.client, Membership.case_worker_id == actor.user_id
    )
    return select(Budget).where(col(Budget.client_id).in_(own_clients))


def readable_order_lines(actor: Actor) -> Any:
    """Plan lines ordered from the actor's providers."""
    provider_ids = actor.provider_ids()
    if not provider_ids:
        return select(PlanLine).where(false())
    return select(PlanLine).where(col(PlanLine.provider_id).in_(provider_ids))


def provider_deliveries(actor: Actor) -> Any:
    provider_ids = actor.provider_ids()
    if not provider_ids:
        return select(Delivery).where(false())
    return select(Delivery).where(col(Delivery.provider_id).in_(provider_ids))


def goals_by_line_key(line_keys: list[str]) -> Any:
    """(line_key, Goal) pairs, possibly repeated (one per version of the line it is linked to):
    a goal linked to any version of a plan line stays linked."""
    return (
        select(PlanLine.line_key, Goal)
        .join(GoalPlanLink, col(GoalPlanLink.plan_line_id) == col(PlanLine.id))
        .join(Goal, col(Goal.id) == col(GoalPlanLink.goal_id))
        .where(col(PlanLine.line_key).in_(line_keys))
        .order_by(col(Goal.id))
    )
