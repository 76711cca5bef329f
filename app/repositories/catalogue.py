"""Access-scoped catalogue queries: what the public may see (approved, published, valid)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, or_
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models.offer import Offer, OfferStatus
from app.models.organiser import Category
from app.models.provider import ApprovalStatus, ProviderApproval


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
