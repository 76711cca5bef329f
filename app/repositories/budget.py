"""Access-scoped queries for budgets, plan lines (orders) and deliveries. Deny by default."""

from __future__ import annotations

from typing import Any

from sqlalchemy import false
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models.actor import Actor
from app.models.budget import Budget, PlanLine, PlanVersion
from app.models.goal import Goal, GoalPlanLink
from app.models.ledger import Delivery
from app.models.settlement import Settlement
from app.models.user import Role, User
from app.repositories.scope import caseload, client_side_id, read_of, rows_in


def newest_first(budgets: SelectOfScalar[Budget]) -> SelectOfScalar[Budget]:
    """The one order of "a client's newest budget": latest period start, then highest id."""
    return budgets.order_by(col(Budget.period_start).desc(), col(Budget.id).desc())


def oldest_first(budgets: SelectOfScalar[Budget]) -> SelectOfScalar[Budget]:
    """The reverse order, for "a client's first budget": earliest period start, then lowest id."""
    return budgets.order_by(col(Budget.period_start), col(Budget.id))


def readable_budgets(actor: Actor) -> SelectOfScalar[Budget]:
    """The budgets of the client the actor is (or acts for under a mandate)."""
    client_id = client_side_id(actor)
    if client_id is None:
        return select(Budget).where(false())
    return read_of(select(Budget).where(Budget.client_id == client_id), actor, "budget")


def readable_caseload_budgets(actor: Actor) -> SelectOfScalar[Budget]:
    """The case-worker view: budgets of the actor's caseload (never the actor's own budget)."""
    if not actor.has(Role.case_worker):
        return select(Budget).where(false())
    budgets = select(Budget).where(col(Budget.client_id).in_(caseload(actor)))
    return read_of(budgets, actor, "budget")


def readable_deliveries(actor: Actor) -> SelectOfScalar[Delivery]:
    """Deliveries on the budgets of the client the actor is or acts for: the ones they decide."""
    client_id = client_side_id(actor)
    if client_id is None:
        return select(Delivery).where(false())
    deliveries = (
        select(Delivery)
        .join(Budget, col(Budget.id) == col(Delivery.budget_id))
        .where(Budget.client_id == client_id)
    )
    return read_of(deliveries, actor, "delivery", "budget_id", via_budget=True)


def readable_organiser_deliveries(actor: Actor) -> SelectOfScalar[Delivery]:
    """Deliveries on budgets of the organisers the actor administers (settlement)."""
    organiser_ids = actor.organiser_ids(Role.admin)
    if not organiser_ids:
        return select(Delivery).where(false())
    deliveries = (
        select(Delivery)
        .join(Budget, col(Budget.id) == col(Delivery.budget_id))
        .where(col(Budget.organiser_id).in_(organiser_ids))
    )
    return read_of(deliveries, actor, "delivery", "budget_id", via_budget=True)


def readable_order_lines(actor: Actor) -> SelectOfScalar[PlanLine]:
    """Plan lines ordered from the actor's providers."""
    lines = rows_in(PlanLine, PlanLine.provider_id, actor.provider_ids())
    return read_of(lines, actor, "order", "budget_id", via_budget=True)


def readable_provider_deliveries(actor: Actor) -> SelectOfScalar[Delivery]:
    """Deliveries the actor's providers reported."""
    deliveries = rows_in(Delivery, Delivery.provider_id, actor.provider_ids())
    return read_of(deliveries, actor, "delivery", "budget_id", via_budget=True)


def readable_order_columns(actor: Actor, *columns: Any) -> Any:
    """`columns` of the actor's providers' order lines, joined to their plan version, budget
    and client (`User`); the columns must include `Budget.client_id` labelled `client_id`
    (the read is logged per client)."""
    stmt = (
        select(*columns)
        .select_from(PlanLine)
        .join(PlanVersion, col(PlanVersion.id) == col(PlanLine.plan_version_id))
        .join(Budget, col(Budget.id) == col(PlanVersion.budget_id))
        .join(User, col(User.id) == col(Budget.client_id))
    )
    ids = actor.provider_ids()
    stmt = stmt.where(col(PlanLine.provider_id).in_(ids) if ids else false())
    return read_of(stmt, actor, "order", by_column=True)


def readable_delivery_columns(actor: Actor, *columns: Any) -> Any:
    """`columns` of the deliveries the actor's providers reported, joined to their plan line,
    budget and client (`User`); like `readable_order_columns`, with `client_id` labelled."""
    stmt = (
        select(*columns)
        .select_from(Delivery)
        .join(PlanLine, col(PlanLine.id) == col(Delivery.plan_line_id))
        .join(Budget, col(Budget.id) == col(Delivery.budget_id))
        .join(User, col(User.id) == col(Budget.client_id))
    )
    ids = actor.provider_ids()
    stmt = stmt.where(col(Delivery.provider_id).in_(ids) if ids else false())
    return read_of(stmt, actor, "delivery", by_column=True)


def readable_settlements(actor: Actor) -> SelectOfScalar[Settlement]:
    """Settlements of the organisers the actor administers."""
    return rows_in(Settlement, Settlement.organiser_id, actor.organiser_ids(Role.admin))


def readable_provider_settlements(actor: Actor) -> SelectOfScalar[Settlement]:
    """Settlements of the actor's providers (what they are paid)."""
    return rows_in(Settlement, Settlement.provider_id, actor.provider_ids())


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
