"""The offers a plan may take: published, valid today, from a provider the budget's
organiser has approved (the plan's service picker and `plan.add_line` use the same rules)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.errors import Invalid
from app.i18n import lazy_gettext
from app.models.budget import Budget
from app.models.offer import Offer, OfferStatus
from app.models.provider import ApprovalStatus, Provider, ProviderApproval


class OfferUnavailable(Invalid):
    default_text = lazy_gettext(
        "This service cannot be added: it is not currently available from an approved provider."
    )


def available_offer(session: Session, budget: Budget, offer_id: int, today: date) -> Offer:
    """A published, valid offer of a provider approved by the budget's organiser."""
    offer = session.get(Offer, offer_id)
    if offer is None or offer.status != OfferStatus.published:
        raise OfferUnavailable()
    if (offer.valid_from and offer.valid_from > today) or (
        offer.valid_to and offer.valid_to < today
    ):
        raise OfferUnavailable()
    approval = session.exec(
        select(ProviderApproval).where(
            ProviderApproval.provider_id == offer.provider_id,
            ProviderApproval.organiser_id == budget.organiser_id,
        )
    ).first()
    if approval is None or approval.status != ApprovalStatus.approved:
        raise OfferUnavailable()
    return offer


def available_offers(session: Session, budget: Budget, today: date) -> list[Offer]:
    approved = select(ProviderApproval.provider_id).where(
        ProviderApproval.organiser_id == budget.organiser_id,
        ProviderApproval.status == ApprovalStatus.approved,
    )
    offers = session.exec(
        select(Offer)
        .where(Offer.status == OfferStatus.published, col(Offer.provider_id).in_(approved))
        .order_by(col(Offer.id))
    ).all()
    return [
        o
        for o in offers
        if not (o.valid_from and o.valid_from > today) and not (o.valid_to and o.valid_to < today)
    ]


class OfferOption(NamedTuple):
    """What the plan's service picker shows of an offer (read without whole ORM objects)."""

    id: int
    title: dict[str, str]
    unit_price_cents: int
    category_id: int
    provider_name: str


def offer_options(session: Session, budget: Budget, today: date) -> list[OfferOption]:
    """The offers `add_line` would accept today, for the picker: the same rules as
    `available_offers`, filtered in SQL and read as plain columns."""
    approved = select(ProviderApproval.provider_id).where(
        ProviderApproval.organiser_id == budget.organiser_id,
        ProviderApproval.status == ApprovalStatus.approved,
    )
    rows = session.exec(
        select(Offer.id, Offer.title, Offer.unit_price_cents, Offer.category_id, Provider.name)
        .join(Provider, col(Provider.id) == col(Offer.provider_id))
        .where(Offer.status == OfferStatus.published, col(Offer.provider_id).in_(approved))
        .where(or_(col(Offer.valid_from).is_(None), col(Offer.valid_from) <= today))
        .where(or_(col(Offer.valid_to).is_(None), col(Offer.valid_to) >= today))
        .order_by(col(Offer.category_id), col(Offer.id))
    ).all()
    return [OfferOption._make(row) for row in rows]


def chosen_offer(
    session: Session, budget: Budget, offer_id: int | None, today: date
) -> Offer | None:
    """The offer a client came to add from the catalogue, when the plan may take it."""
    if offer_id is None:
        return None
    try:
        return available_offer(session, budget, offer_id, today)
    except OfferUnavailable:
        return None
