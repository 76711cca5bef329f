"""The public catalogue: search with a database fallback, offer and provider pages, compare."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from app.errors import NotFound
from app.models.offer import Offer, OfferArea, OfferPrice, Unit
from app.models.organiser import Category, Municipality, OrganiserMunicipality
from app.models.provider import Provider, ProviderArea
from app.repositories.catalogue import public_offers
from app.services.ratings.feedback import summary_of
from app.services.ratings.summary import MIN_RATINGS, RatingSummary  # noqa: F401 - re-exported
from app.services.search import SearchQuery, SearchResult, SearchUnavailable, Sort, engine_for
from app.services.search.base import Hit, SearchDoc
from app.services.search.documents import build_documents
from app.services.search.embedded import document_texts
from app.services.search.text import words

log = logging.getLogger(__name__)

# A typical monthly amount per unit, for "what it costs per month".
TYPICAL_MONTHLY: dict[str, int] = {
    Unit.hour: 8,
    Unit.visit: 4,
    Unit.day: 4,
    Unit.month: 1,
    Unit.session: 4,
    Unit.piece: 1,
    Unit.trip: 8,
}
STALE_AFTER = timedelta(days=365)
FALLBACK_LIMIT = 5000
MAX_COMPARE = 3


def today() -> date:
    return datetime.now(UTC).date()


def search(session: Session, query: SearchQuery) -> SearchResult:
    """Ask the search engine; if it fails, a plain database query answers (degraded=True)."""
    if query.today is None:
        query.today = today()
    try:
        return engine_for(session.connection()).search(query)
    except SearchUnavailable:
        log.warning("search engine unavailable; answering from the database")
    except Exception:
        log.exception("search engine failed; answering from the database")
    return fallback_search(session, query)


def _matches(doc: SearchDoc, terms: list[str]) -> bool:
    _titles, body, _stems = document_texts(doc)
    return all(term in body for term in terms)


def fallback_search(session: Session, query: SearchQuery) -> SearchResult:
    day = query.today or today()
    offer_ids = [
        o.id
        for o in session.exec(public_offers(day, query.organiser_id).limit(FALLBACK_LIMIT)).all()
        if o.id is not None
    ]
    docs, _gone = build_documents(session, offer_ids)
    terms = words(query.q)
    wanted = {
        "category": {str(c) for c in query.category},
        "municipality": set(query.municipality),
        "language": set(query.language),
        "delivery": set(query.delivery),
    }
    matched: list[SearchDoc] = []
    for doc in docs:
        values = doc.facet_values()
        if any(want and not (want & set(values[name])) for name, want in wanted.items()):
            continue
        if query.price_min_cents is not None and doc.price_cents < query.price_min_cents:
            continue
        if query.price_max_cents is not None and doc.price_cents > query.price_max_cents:
            continue
        if query.min_rating is not None and (doc.rating_avg or 0) < query.min_rating:
            continue
        if terms and not _matches(doc, terms):
            continue
        matched.append(doc)
    if query.sort is Sort.price_desc:
        matched.sort(key=lambda d: (-d.price_cents, d.offer_id))
    elif query.sort is Sort.rating:
        matched.sort(key=lambda d: (d.rating_avg is None, -(d.rating_avg or 0), d.offer_id))
    else:
        matched.sort(key=lambda d: (d.price_cents, d.offer_id))
    facets: dict[str, dict[str, int]] = {}
    for doc in matched:
        for name, values in doc.facet_values().items():
            if name == "organiser":
                continue
            for value in values:
                facets.setdefault(name, {})
                facets[name][value] = facets[name].get(value, 0) + 1
    page = matched[query.offset : query.offset + query.per_page]
    hits = [
        Hit(
            offer_id=d.offer_id,
            title=d.title,
            provider_id=d.provider_id,
            provider_name=d.provider_name,
            category_id=d.category_id,
            unit=d.unit,
            price_cents=d.price_cents,
            rating_avg=d.rating_avg,
            rating_count=d.rating_count,
        )
        for d in page
    ]
    return SearchResult(
        hits=hits,
        total=len(matched),
        facets=facets,
        page=query.page,
        per_page=query.per_page,
        degraded=True,
    )


@dataclass
class OfferView:
    offer: Offer
    provider: Provider
    category: Category
    areas: list[Municipality]
    monthly_quantity: int
    monthly_cents: int
    stale: bool
    rating: RatingSummary = field(default_factory=RatingSummary)
    prices: list[OfferPrice] = field(default_factory=list)


def monthly_estimate(unit: str, unit_price_cents: int) -> tuple[int, int]:
    quantity = TYPICAL_MONTHLY.get(unit, 1)
    return quantity, quantity * unit_price_cents


def is_stale(last_checked: datetime, now: datetime | None = None) -> bool:
    moment = now or datetime.now(UTC)
    checked = last_checked if last_checked.tzinfo else last_checked.replace(tzinfo=UTC)
    return moment - checked > STALE_AFTER


def _municipalities(session: Session, codes: list[str]) -> list[Municipality]:
    if not codes:
        return []
    return list(
        session.exec(
            select(Municipality)
            .where(col(Municipality.code).in_(codes))
            .order_by(col(Municipality.name_fi))
        ).all()
    )


def public_offer(session: Session, offer_id: int) -> OfferView:
    offer = session.exec(public_offers(today()).where(Offer.id == offer_id)).first()
    if offer is None:
        raise NotFound()
    provider = session.get(Provider, offer.provider_id)
    category = session.get(Category, offer.category_id)
    if provider is None or category is None:
        raise NotFound()
    codes = [
        a.municipality_code
        for a in session.exec(select(OfferArea).where(OfferArea.offer_id == offer_id)).all()
    ]
    quantity, monthly = monthly_estimate(offer.unit, offer.unit_price_cents)
    return OfferView(
        offer=offer,
        provider=provider,
        category=category,
        areas=_municipalities(session, codes),
        monthly_quantity=quantity,
        monthly_cents=monthly,
        stale=is_stale(offer.last_checked_at),
        rating=summary_of(session, offer_id),
    )


def compare(session: Session, offer_ids: list[int]) -> list[OfferView]:
    views: list[OfferView] = []
    for offer_id in list(dict.fromkeys(offer_ids))[:MAX_COMPARE]:
        try:
            views.append(public_offer(session, offer_id))
        except NotFound:
            continue
    return views


# What the compare page lines up, each as the value that tells two offers apart.
COMPARED: dict[str, Any] = {
    "provider": lambda v: v.provider.id,
    "category": lambda v: v.category.id,
    "price": lambda v: (v.offer.unit_price_cents, v.offer.unit),
    "monthly": lambda v: v.monthly_cents,
    "rating": lambda v: (
        (v.rating.average, v.rating.count) if v.rating.count >= MIN_RATINGS else None
    ),
    "languages": lambda v: tuple(sorted(v.offer.languages)),
    "areas": lambda v: tuple(sorted(m.code for m in v.areas)),
    "delivery": lambda v: tuple(sorted(v.offer.delivery_modes)),
    "waiting": lambda v: tuple(sorted(v.offer.capacity_note.items())),
}


def differences(views: list[OfferView]) -> set[str]:
    """The compared facts (keys of COMPARED) in which the offers differ; none for one offer."""
    if len(views) < 2:
        return set()
    return {name for name, of in COMPARED.items() if len({of(v) for v in views}) > 1}


@dataclass
class ProviderView:
    provider: Provider
    areas: list[Municipality]
    offers: list[Offer]


def public_provider(session: Session, provider_id: int) -> ProviderView:
    provider = session.get(Provider, provider_id)
    if provider is None:
        raise NotFound()
    offers = list(
        session.exec(
            public_offers(today()).where(Offer.provider_id == provider_id).order_by(col(Offer.id))
        ).all()
    )
    if not offers:
        raise NotFound()
    codes = [
        a.municipality_code
        for a in session.exec(
            select(ProviderArea).where(ProviderArea.provider_id == provider_id)
        ).all()
    ]
    return ProviderView(provider=provider, areas=_municipalities(session, codes), offers=offers)


def categories(session: Session, organiser_id: int | None = None) -> list[Category]:
    stmt = select(Category).order_by(col(Category.organiser_id), col(Category.position))
    if organiser_id is not None:
        stmt = stmt.where(Category.organiser_id == organiser_id)
    return list(session.exec(stmt).all())


def municipality_names(session: Session, codes: set[str]) -> dict[str, Municipality]:
    return {m.code: m for m in _municipalities(session, sorted(codes))}


def served_municipalities(session: Session, organiser_id: int | None) -> set[str]:
    """Municipalities of the organiser's area (all organisers' when none is given)."""
    stmt = select(OrganiserMunicipality.municipality_code)
    if organiser_id is not None:
        stmt = stmt.where(OrganiserMunicipality.organiser_id == organiser_id)
    return set(session.exec(stmt).all())
