"""Turning offers in the database into search documents (the database is the source of truth)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import distinct, func
from sqlmodel import Session, col, select

from app.models.offer import Offer, OfferArea, OfferStatus
from app.models.organiser import Category
from app.models.provider import ApprovalStatus, Provider, ProviderApproval
from app.models.rating import Rating
from app.services.ratings.summary import public_average
from app.services.search.base import SearchDoc


def build_documents(session: Session, offer_ids: list[int]) -> tuple[list[SearchDoc], list[int]]:
    """(documents of searchable offers, ids that must not be in the index)."""
    wanted = sorted(set(offer_ids))
    docs: list[SearchDoc] = []
    found: set[int] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        offers = session.exec(select(Offer).where(col(Offer.id).in_(chunk))).all()
        provider_ids = {o.provider_id for o in offers}
        providers = {
            p.id: p
            for p in session.exec(select(Provider).where(col(Provider.id).in_(provider_ids)))
        }
        approved: dict[int, set[int]] = defaultdict(set)
        for approval in session.exec(
            select(ProviderApproval).where(
                col(ProviderApproval.provider_id).in_(provider_ids),
                ProviderApproval.status == ApprovalStatus.approved,
            )
        ):
            approved[approval.provider_id].add(approval.organiser_id)
        categories = {
            c.id: c
            for c in session.exec(
                select(Category).where(col(Category.id).in_({o.category_id for o in offers}))
            )
        }
        areas: dict[int, list[str]] = defaultdict(list)
        for area in session.exec(select(OfferArea).where(col(OfferArea.offer_id).in_(chunk))):
            areas[area.offer_id].append(area.municipality_code)
        ratings = _rating_figures(session, chunk)
        for offer in offers:
            provider = providers.get(offer.provider_id)
            category = categories.get(offer.category_id)
            if provider is None or category is None or offer.id is None:
                continue
            if offer.status != OfferStatus.published:
                continue
            if category.organiser_id not in approved.get(offer.provider_id, set()):
                continue
            found.add(offer.id)
            docs.append(
                SearchDoc(
                    offer_id=offer.id,
                    provider_id=offer.provider_id,
                    provider_name=provider.name,
                    category_id=offer.category_id,
                    category_names={k: str(v) for k, v in category.name.items()},
                    organiser_ids=[category.organiser_id],
                    title={k: str(v) for k, v in offer.title.items() if v},
                    description={k: str(v) for k, v in offer.description.items() if v},
                    unit=str(offer.unit),
                    price_cents=offer.unit_price_cents,
                    municipalities=sorted(areas.get(offer.id, [])),
                    languages=list(offer.languages),
                    delivery_modes=list(offer.delivery_modes),
                    rating_avg=ratings.get(offer.id, (None, 0))[0],
                    rating_count=ratings.get(offer.id, (None, 0))[1],
                    valid_from=offer.valid_from,
                    valid_to=offer.valid_to,
                )
            )
    return docs, [i for i in wanted if i not in found]


def _rating_figures(session: Session, offer_ids: list[int]) -> dict[int, tuple[float | None, int]]:
    """offer id -> (public mean or None below the min-n of raters, number of ratings).

    Every rating counts, also those whose comment a moderator hid (the stars stay valid)."""
    rows = session.exec(
        select(
            Rating.offer_id,
            func.count(),
            func.count(distinct(Rating.client_id)),
            func.sum(Rating.quality),
        )
        .where(col(Rating.offer_id).in_(offer_ids))
        .group_by(col(Rating.offer_id))
    ).all()
    return {
        offer_id: (public_average(int(raters), int(total), int(qsum or 0)), int(total))
        for offer_id, total, raters, qsum in rows
    }


def all_offer_ids(session: Session) -> list[int]:
    return [i for i in session.exec(select(Offer.id)).all() if i is not None]


def provider_offer_ids(session: Session, provider_id: int) -> list[int]:
    return [
        i
        for i in session.exec(select(Offer.id).where(Offer.provider_id == provider_id)).all()
        if i is not None
    ]


def category_offer_ids(session: Session, category_id: int) -> list[int]:
    return [
        i
        for i in session.exec(select(Offer.id).where(Offer.category_id == category_id)).all()
        if i is not None
    ]
