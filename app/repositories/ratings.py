"""Access-scoped queries for ratings and the deliveries that make a client eligible."""

from __future__ import annotations

from typing import Any

from sqlalchemy import false
from sqlmodel import col, select

from app.models.actor import Actor
from app.models.budget import Budget, PlanLine
from app.models.ledger import Delivery, DeliveryStatus
from app.models.offer import Offer
from app.models.organiser import Category
from app.models.rating import Rating
from app.models.user import Role
from app.repositories.scope import client_side_id, read_of, rows_in

DONE = (DeliveryStatus.confirmed, DeliveryStatus.auto_accepted)


def client_ratings(actor: Actor) -> Any:
    """Ratings the client (or the client acted for) has given."""
    client_id = client_side_id(actor)
    if client_id is None:
        return select(Rating).where(false())
    return read_of(select(Rating).where(Rating.client_id == client_id), actor, "rating")


def client_done_deliveries(actor: Actor) -> Any:
    """(Delivery, PlanLine) of the client's budgets, confirmed or accepted automatically."""
    stmt = (
        select(Delivery, PlanLine)
        .join(PlanLine, col(PlanLine.id) == Delivery.plan_line_id)
        .join(Budget, col(Budget.id) == Delivery.budget_id)
        .where(col(Delivery.status).in_(DONE))
    )
    client_id = client_side_id(actor)
    if client_id is None:
        return stmt.where(false())
    done = stmt.where(Budget.client_id == client_id)
    return read_of(done, actor, "delivery", "budget_id", via_budget=True)


def provider_ratings(actor: Actor) -> Any:
    """Ratings of the actor's providers' offers."""
    # Not `read_of`: a provider sees of them what the public sees (no client named).
    return rows_in(Rating, Rating.provider_id, actor.provider_ids())


def admin_ratings(actor: Actor) -> Any:
    """Ratings of offers in the categories of the organisers the actor administers."""
    organiser_ids = actor.organiser_ids(Role.admin)
    if not organiser_ids:
        return select(Rating).where(false())
    ratings = (
        select(Rating)
        .join(Offer, col(Offer.id) == Rating.offer_id)
        .join(Category, col(Category.id) == Offer.category_id)
        .where(col(Category.organiser_id).in_(organiser_ids))
    )
    return read_of(ratings, actor, "rating")
