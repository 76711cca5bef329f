"""What the budget pages show: the plan with its fit, and the balance (`balance.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from app.models.budget import Budget, PlanLine, PlanStatus
from app.models.goal import Goal, GoalStatus
from app.repositories.budget import goals_by_line_key
from app.services.budget import arithmetic, balance
from app.services.budget.frames import (
    categories,
    confirmed_version,
    fit_of,
    latest_version,
    lines_of,
    organiser_of,
)
from app.services.catalogue.listings import provider_names
from app.services.notifications.service import inbox


@dataclass(frozen=True)
class LineRow:
    line: PlanLine
    provider_name: str
    share_bp: int
    candidate: bool = False
    goals: tuple[Goal, ...] = ()


def open_goals(session: Session, budget: Budget) -> list[Goal]:
    """The client's active goals, offered for linking to a new plan line."""
    return list(
        session.exec(
            select(Goal)
            .where(Goal.client_id == budget.client_id, Goal.status == GoalStatus.active)
            .order_by(col(Goal.created_at))
        ).all()
    )


def linked_goals(session: Session, lines: list[PlanLine]) -> dict[str, list[Goal]]:
    """The client's goals each line helps with, by line key (stable across plan versions)."""
    keys = [line.line_key for line in lines]
    found: dict[str, list[Goal]] = {}
    if keys:
        for key, goal in session.exec(goals_by_line_key(keys)).all():
            goals = found.setdefault(key, [])
            if goal not in goals:
                goals.append(goal)
    return found


def category_names(session: Session, budget: Budget) -> dict[int, dict[str, Any]]:
    return {c.id: c.name for c in categories(session, budget.organiser_id) if c.id is not None}


def plan_context(
    session: Session, budget: Budget, candidate: PlanLine | None = None
) -> dict[str, Any]:
    """The plan page's data; `candidate` is a line being considered (live check)."""
    plan = latest_version(session, budget)
    confirmed = confirmed_version(session, budget)
    lines = lines_of(session, plan)
    considered = [*lines, candidate] if candidate else lines
    fit = fit_of(session, budget, considered)
    names = provider_names(session, {line.provider_id for line in considered})
    goals_of_line = linked_goals(session, lines)
    rows = [
        LineRow(
            line,
            names.get(line.provider_id, ""),
            arithmetic.share_bp(line.cost_cents, budget.frame_cents),
            line is candidate,
            tuple(goals_of_line.get(line.line_key, [])),
        )
        for line in considered
    ]
    organiser = organiser_of(session, budget)
    status = plan.status if plan else None
    return {
        "budget": budget,
        "plan": plan,
        "confirmed": confirmed,
        "rows": rows,
        "fit": fit,
        "category_names": category_names(session, budget),
        "allows_own_share": organiser.allows_own_share,
        "can_edit": status != PlanStatus.submitted,
        "can_submit": status in (PlanStatus.draft, PlanStatus.returned) and bool(lines),
        "candidate": candidate,
        # The balance summary the plan page shows (not for a live check of one line).
        "balance": None if candidate else balance.balance_of(session, budget, date.today()),
    }


def balance_context(session: Session, budget: Budget, today: date) -> dict[str, Any]:
    """The balance page: the figures of `balance.balance_of`, the category names, the inbox."""
    return {
        "budget": budget,
        "balance": balance.balance_of(session, budget, today),
        "category_names": category_names(session, budget),
        "notifications": inbox(session, budget.client_id, limit=10),
    }
