"""Budget follow-up in figures: the frames granted and the spending realised, by half-year and
by main category, client group and experiment arm (frame precision A/B, teaming C).

Operational, not research (`scope.OPERATIONAL["budget_spending"]`): budget follow-up is part of
arranging the services, so every client of the admin's organisers counts whatever their
research answer, and the page says so. Written as SQL aggregates (GROUP BY half-year and the
dimension); a sum of fewer than five clients is hidden, and when one cell of a half-year is
hidden the smallest shown one of that half-year is hidden too, so that a total cannot give it
away."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, extract, func
from sqlmodel import Session, col, select

from app.models.actor import Actor
from app.models.budget import Budget, PlanLine
from app.models.ledger import Delivery
from app.models.user import Membership, Role
from app.repositories.reports import report_organiser_ids
from app.services import disclosure
from app.services.disclosure import Cell
from app.services.reports import outcomes
from app.services.reports.data import CONFIRMED_DELIVERY, log_view
from app.services.reports.periods import HalfYear

REPORT = "budget_spending"
DIMENSIONS = ("category", "group", "arm")


@dataclass(frozen=True)
class Figure:
    clients: Cell
    cents: Cell


@dataclass(frozen=True)
class FrameRow:
    period: str  # half-year in which the budget period starts
    arm: str
    budgets: Cell
    frame_cents: Cell
    spent_cents: Cell
    used_percent: Cell


@dataclass(frozen=True)
class Report:
    periods: list[str]
    frames: list[FrameRow]
    spending: dict[str, dict[str, dict[str, Figure]]]  # dimension -> key -> period -> figure
    categories: dict[str, dict[str, Any]]


def _half(day: Any) -> Any:
    return case((extract("month", day) <= 6, 1), else_=2)


def _arm_key(arm: Any, teaming: Any) -> str:
    return f"{arm}+C" if teaming else str(arm)


def _protect(figures: dict[str, dict[str, Figure]], periods: list[str]) -> None:
    """Complementary suppression: one hidden cell in a half-year hides the smallest other."""
    for period in periods:
        cells = [(k, f[period]) for k, f in figures.items() if period in f]
        hidden = [k for k, f in cells if f.cents.suppressed]
        shown = sorted((f.clients.n, k) for k, f in cells if not f.cents.suppressed)
        if len(hidden) == 1 and shown:
            key = shown[0][1]
            n = figures[key][period].clients.n
            figures[key][period] = Figure(disclosure.hidden(n), disclosure.hidden(n))


def _figure(clients: int, cents: int) -> Figure:
    return Figure(disclosure.count(clients), disclosure.cell(cents, clients))


def build(session: Session, actor: Actor, fmt: str = "html") -> Report:
    organisers = report_organiser_ids(actor)
    in_scope = col(Budget.organiser_id).in_(organisers)
    categories, main = outcomes.categories(session, organisers)
    year, half = extract("year", Delivery.delivered_on), _half(Delivery.delivered_on)
    group = (
        select(Membership.client_group)
        .where(
            Membership.user_id == Budget.client_id,
            Membership.role == Role.client,
            col(Membership.organiser_id) == Budget.organiser_id,
        )
        .limit(1)
        .scalar_subquery()
    )
    dims: dict[str, Any] = {
        "category": PlanLine.category_id,
        "group": group,
        "arm": Budget.arm,
    }
    spending: dict[str, dict[str, dict[str, Figure]]] = {}
    periods: set[str] = set()
    for name, dim in dims.items():
        columns = [dim] + ([Budget.teaming] if name == "arm" else [])
        # Clients are counted per half-year and key; categories fold into their main one.
        raw: dict[tuple[str, str], tuple[set[int], int]] = defaultdict(lambda: (set(), 0))
        for y, h, client_id, cents, *key in session.exec(
            select(year, half, Budget.client_id, func.sum(Delivery.budget_cents), *columns)
            .join(Budget, col(Budget.id) == Delivery.budget_id)
            .join(PlanLine, col(PlanLine.id) == Delivery.plan_line_id)
            .where(in_scope, col(Delivery.status).in_(CONFIRMED_DELIVERY))
            .group_by(year, half, col(Budget.client_id), *columns)
        ).all():
            period = HalfYear(int(y), int(h)).key
            if name == "category":
                label = str(main.get(key[0], key[0]))
            elif name == "arm":
                label = _arm_key(key[0], key[1])
            else:
                label = key[0] or ""
            seen, total = raw[(label, period)]
            seen.add(int(client_id))
            raw[(label, period)] = (seen, total + int(cents or 0))
            periods.add(period)
        table: dict[str, dict[str, Figure]] = defaultdict(dict)
        for (label, period), (seen, total) in raw.items():
            table[label][period] = _figure(len(seen), total)
        spending[name] = dict(table)
    frames = _frames(session, in_scope, periods)
    ordered = sorted(periods)
    for table in spending.values():
        _protect(table, ordered)
    log_view(session, actor, REPORT, fmt)
    return Report(
        periods=ordered,
        frames=frames,
        spending=spending,
        categories={str(c.id): c.name for c in categories if c.id is not None and c.is_main},
    )


def _frames(session: Session, in_scope: Any, periods: set[str]) -> list[FrameRow]:
    """Per half-year of the budget period's start and arm: the frames granted against what
    was spent from those budgets (GROUP BY)."""
    spent = (
        select(Delivery.budget_id, func.sum(Delivery.budget_cents).label("cents"))
        .where(col(Delivery.status).in_(CONFIRMED_DELIVERY))
        .group_by(col(Delivery.budget_id))
        .subquery()
    )
    year, half = extract("year", Budget.period_start), _half(Budget.period_start)
    rows = []
    for y, h, arm, teaming, budgets, frame, used in session.exec(
        select(
            year,
            half,
            Budget.arm,
            Budget.teaming,
            func.count(col(Budget.id)),
            func.sum(Budget.frame_cents),
            func.sum(func.coalesce(spent.c.cents, 0)),
        )
        .outerjoin(spent, spent.c.budget_id == Budget.id)
        .where(in_scope)
        .group_by(year, half, col(Budget.arm), col(Budget.teaming))
    ).all():
        period = HalfYear(int(y), int(h)).key
        periods.add(period)
        n, frame, used = int(budgets), int(frame or 0), int(used or 0)
        share = round(100 * used / frame, 1) if frame else None
        rows.append(
            FrameRow(
                period=period,
                arm=_arm_key(arm, teaming),
                budgets=disclosure.count(n),
                frame_cents=disclosure.cell(frame, n),
                spent_cents=disclosure.cell(used, n),
                used_percent=disclosure.cell(share, n),
            )
        )
    return sorted(rows, key=lambda r: (r.period, r.arm))
