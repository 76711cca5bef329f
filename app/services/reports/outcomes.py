"""The outcome figures the market views share: which consenting clients used which services
(SQL, grouped by client), their wellbeing change and goal attainment by the effect report's own
definitions (`effects.wellbeing_changes`, `Snapshot.t_score`), and their effect ratings.

Every function takes a `scope.Population` and filters on its ids, so a client whose research
consent is not in force is in no figure; `summarise` turns a group of clients into cells that
follow the small-cell rule (`services/disclosure.py`) with intervals from `services/stats.py`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models.assessment import Assessment, AssessmentStatus
from app.models.budget import Budget, PlanLine
from app.models.goal import Goal, GoalCheckIn
from app.models.ledger import Delivery
from app.models.offer import Offer
from app.models.organiser import Category
from app.models.rating import Rating
from app.services import disclosure
from app.services.disclosure import Cell
from app.services.reports import effects
from app.services.reports.data import CONFIRMED_DELIVERY, Scored, Snapshot, overall
from app.services.research import scope


def categories(
    session: Session, organisers: Iterable[int]
) -> tuple[list[Category], dict[int, int]]:
    """The organisers' service categories, and each category's main category (a main one maps
    to itself), so that figures fold subcategories into their main one."""
    rows = list(
        session.exec(select(Category).where(col(Category.organiser_id).in_(list(organisers))))
    )
    main = {
        c.id: (c.parent_id if not c.is_main and c.parent_id is not None else c.id)
        for c in rows
        if c.id is not None
    }
    return rows, main


def consenting(session: Session, report: str, eligible: Any) -> scope.Population:
    """The clients of `eligible` whose research consent is in force (the one scope)."""
    return scope.population(session, report, eligible)


@dataclass(frozen=True)
class Use:
    """One client's confirmed use of one offer: the spending from the budget, in cents."""

    client_id: int
    provider_id: int
    offer_id: int
    category_id: int
    spent_cents: int


def uses(session: Session, population: scope.Population, *where: Any) -> list[Use]:
    """Confirmed deliveries summed per client and offer (GROUP BY), consenting clients only."""
    rows = session.exec(
        select(
            Budget.client_id,
            Delivery.provider_id,
            PlanLine.offer_id,
            PlanLine.category_id,
            func.sum(Delivery.budget_cents),
        )
        .join(PlanLine, col(PlanLine.id) == Delivery.plan_line_id)
        .join(Budget, col(Budget.id) == Delivery.budget_id)
        .where(
            col(Delivery.status).in_(CONFIRMED_DELIVERY),
            col(Budget.client_id).in_(population.ids),
            *where,
        )
        .group_by(
            col(Budget.client_id),
            col(Delivery.provider_id),
            col(PlanLine.offer_id),
            col(PlanLine.category_id),
        )
    ).all()
    return [Use(int(c), int(p), int(o), int(k), int(s or 0)) for c, p, o, k, s in rows]


@dataclass(frozen=True)
class Outcomes:
    wellbeing: dict[int, float]  # client -> latest minus first life-situation score
    goals: dict[int, float]  # client -> GAS T-score now


def outcomes(session: Session, population: scope.Population) -> Outcomes:
    """Each consenting client's wellbeing change and T-score, by the effect report's rules."""
    snap = Snapshot(organiser_ids=set())
    for client_id, submitted_at, scores in session.exec(
        select(Assessment.client_id, Assessment.submitted_at, Assessment.scores)
        .where(
            col(Assessment.client_id).in_(population.ids),
            Assessment.instrument_key == "life-situation",
            Assessment.status == AssessmentStatus.submitted,
        )
        .order_by(col(Assessment.submitted_at), col(Assessment.id))
    ).all():
        score = overall(scores)
        if score is not None and submitted_at is not None:
            snap.life.append(Scored(client_id, submitted_at, score))
    snap.goals = list(session.exec(select(Goal).where(col(Goal.client_id).in_(population.ids))))
    entries: dict[int, list[GoalCheckIn]] = defaultdict(list)
    for entry in session.exec(
        select(GoalCheckIn)
        .where(col(GoalCheckIn.goal_id).in_([g.id for g in snap.goals]))
        .order_by(col(GoalCheckIn.recorded_at), col(GoalCheckIn.id))
    ).all():
        entries[entry.goal_id].append(entry)
    snap.check_ins = dict(entries)
    t_scores = {
        c: t
        for c in sorted({g.client_id for g in snap.goals})
        if (t := snap.t_score(c)) is not None
    }
    return Outcomes(effects.wellbeing_changes(snap), t_scores)


def effect_ratings(
    session: Session, population: scope.Population, key: Any, *where: Any
) -> dict[int, dict[int, float]]:
    """key value (a column of the rating or of its offer) -> client -> the client's mean
    effect rating (1-4), "cannot say" left out: one value per client, so a client who rated
    every month counts once."""
    found: dict[int, dict[int, float]] = defaultdict(dict)
    for group, client_id, mean in session.exec(
        select(key, Rating.client_id, func.avg(Rating.effect))
        .join(Offer, col(Offer.id) == Rating.offer_id)
        .where(
            col(Rating.effect).is_not(None),
            col(Rating.client_id).in_(population.ids),
            *where,
        )
        .group_by(key, col(Rating.client_id))
    ).all():
        found[int(group)][int(client_id)] = float(mean)
    return found


@dataclass(frozen=True)
class Evidence:
    """The effect evidence of one group of clients (a provider, an offer, a category)."""

    clients: Cell
    wellbeing: Cell  # mean change, 0-10 scale points
    goals: Cell  # mean GAS T-score
    effect: Cell  # mean effect rating, 1 not at all … 4 a lot

    @property
    def suppressed(self) -> bool:
        return self.clients.suppressed


def summarise(clients: Iterable[int], found: Outcomes, ratings: dict[int, float]) -> Evidence:
    group = sorted(set(clients))
    return Evidence(
        clients=disclosure.count(len(group)),
        wellbeing=disclosure.mean([found.wellbeing[c] for c in group if c in found.wellbeing]),
        goals=disclosure.mean([found.goals[c] for c in group if c in found.goals]),
        effect=disclosure.mean([ratings[c] for c in group if c in ratings]),
    )


def hidden_evidence(n: int) -> Evidence:
    """Evidence hidden by a rule (a total that would reveal a suppressed group)."""
    cell = disclosure.hidden(n)
    return Evidence(cell, cell, cell, cell)
