"""Access-scoped catalogue queries: what the public may see (approved, published, valid),
what a provider's people and an organiser's admins may manage. Deny by default."""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, false, or_
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models.actor import Actor
from app.models.favourite import Favourite
from app.models.offer import Offer, OfferStatus
from app.models.organiser import Category
from app.models.provider import ApprovalStatus, Provider, ProviderApproval
from app.models.user import Role
from app.repositories.scope import client_side_id, read_of, rows_in


def public_offers(today: date, organiser_id: int | None = None) -> SelectOfScalar[Offer]:
    """Published, currently valid offers of providers approved by the category's organiser."""
    approved = (
        select(ProviderApproval.id)
        .where(
            ProviderApproval.provider_id == Offer.provider_id,
            ProviderApproval.organiser_id == Category.organiser_id,
            ProviderApproval.status == ApprovalStatus.approved,
        )
        .correlate(Offer, Category)
    )
    stmt = (
        select(Offer)
        .join(Category, col(Category.id) == col(Offer.category_id))
        .where(
            Offer.status == OfferStatus.published,
            exists(approved),
            or_(col(Offer.valid_from).is_(None), col(Offer.valid_from) <= today),
            or_(col(Offer.valid_to).is_(None), col(Offer.valid_to) >= today),
        )
    )
    if organiser_id is not None:
        stmt = stmt.where(Category.organiser_id == organiser_id)
    return stmt


def approved_organiser_ids(provider_id: int) -> SelectOfScalar[int]:
    return select(ProviderApproval.organiser_id).where(
        ProviderApproval.provider_id == provider_id,
        ProviderApproval.status == ApprovalStatus.approved,
    )


def readable_providers(actor: Actor, *roles: Role) -> SelectOfScalar[Provider]:
    """The providers the actor works for (in any provider role, or in `roles`)."""
    return rows_in(Provider, Provider.id, actor.provider_ids(*roles))


def readable_provider_offers(actor: Actor) -> SelectOfScalar[Offer]:
    """Every offer (any status) of the providers the actor works for."""
    return rows_in(Offer, Offer.provider_id, actor.provider_ids())


def readable_approvals(actor: Actor) -> SelectOfScalar[ProviderApproval]:
    """Approval applications to the organisers the actor administers."""
    return rows_in(ProviderApproval, ProviderApproval.organiser_id, actor.organiser_ids(Role.admin))


def readable_admin_categories(actor: Actor) -> SelectOfScalar[Category]:
    """The service categories of the organisers the actor administers."""
    return rows_in(Category, Category.organiser_id, actor.organiser_ids(Role.admin))


def readable_favourites(actor: Actor) -> SelectOfScalar[Favourite]:
    """The shortlist of the client the actor is, or acts for under a live mandate."""
    client_id = client_side_id(actor)
    if client_id is None:
        return select(Favourite).where(false())
    return read_of(select(Favourite).where(Favourite.client_id == client_id), actor, "favourite")
