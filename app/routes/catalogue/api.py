"""The public JSON API of the catalogue (documented in the OpenAPI schema)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from app.deps import DbSession
from app.forms import Id
from app.i18n import localized
from app.routes.catalogue.params import build_query
from app.services.catalogue import browse, hsds


class ErrorDetail(BaseModel):
    status: int
    message: str
    fields: list[dict[str, object]] | None = None


class ErrorOut(BaseModel):
    """Every API error has this shape (see app/error_pages.py)."""

    error: ErrorDetail


router = APIRouter(
    prefix="/api/v1/catalogue",
    tags=["catalogue"],
    responses={
        422: {"model": ErrorOut, "description": "Invalid parameters"},
        503: {"model": ErrorOut, "description": "Temporarily unavailable; try again"},
    },
)


class RatingOut(BaseModel):
    count: int
    average: float | None
    enough: bool


class HitOut(BaseModel):
    offer_id: int
    title: str
    title_lang: str
    provider_id: int
    provider: str
    category_id: int
    price_cents: int
    unit: str
    rating: RatingOut


class SearchOut(BaseModel):
    total: int
    page: int
    pages: int
    degraded: bool
    hits: list[HitOut]
    facets: dict[str, dict[str, int]]


class OfferOut(BaseModel):
    offer_id: int
    title: dict[str, str]
    description: dict[str, str]
    provider_id: int
    provider: str
    category_id: int
    unit: str
    price_cents: int
    vat_rate_bp: int | None
    monthly_quantity: int
    monthly_cents: int
    languages: list[str]
    delivery_modes: list[str]
    areas: list[str]
    valid_from: str | None
    valid_to: str | None
    last_checked_at: str
    rating: RatingOut


def _lang(lang: str | None) -> str:
    return lang if lang in ("fi", "sv", "en") else "fi"


@router.get("/search", response_model=SearchOut, summary="Search the public catalogue")
def api_search(
    request: Request,
    session: DbSession,
    q: Annotated[str, Query(max_length=200, description="Search words")] = "",
    category: Annotated[list[Id] | None, Query(description="Category ids")] = None,
    municipality: Annotated[list[str] | None, Query(description="Municipality codes")] = None,
    language: Annotated[list[str] | None, Query(description="Languages of service")] = None,
    delivery: Annotated[list[str] | None, Query(description="home, provider, remote")] = None,
    price_min: Annotated[str | None, Query(description="Lowest unit price, euros")] = None,
    price_max: Annotated[str | None, Query(description="Highest unit price, euros")] = None,
    min_rating: Annotated[int | None, Query(ge=2, le=4)] = None,
    sort: Annotated[str, Query(pattern="^(relevance|price_asc|price_desc|rating)$")] = "relevance",
    page: Annotated[int, Query(ge=1, le=500)] = 1,
    lang: Annotated[str, Query(pattern="^(fi|sv|en)$")] = "fi",
) -> SearchOut:
    query, _state = build_query(request.query_params)
    result = browse.search(session, query)
    hits = []
    for hit in result.hits:
        title, fallback = localized(hit.title, _lang(lang))
        hits.append(
            HitOut(
                offer_id=hit.offer_id,
                title=title,
                title_lang=fallback or _lang(lang),
                provider_id=hit.provider_id,
                provider=hit.provider_name,
                category_id=hit.category_id,
                price_cents=hit.price_cents,
                unit=hit.unit,
                rating=RatingOut(
                    count=hit.rating_count,
                    average=hit.rating_avg,
                    enough=hit.rating_avg is not None and hit.rating_count >= browse.MIN_RATINGS,
                ),
            )
        )
    return SearchOut(
        total=result.total,
        page=result.page,
        pages=result.pages,
        degraded=result.degraded,
        hits=hits,
        facets=result.facets,
    )


@router.get(
    "/offers/{offer_id}",
    response_model=OfferOut,
    summary="One public offer",
    responses={404: {"model": ErrorOut, "description": "No such public offer"}},
)
def api_offer(offer_id: Id, session: DbSession) -> OfferOut:
    view = browse.public_offer(session, offer_id)
    offer = view.offer
    return OfferOut(
        offer_id=offer_id,
        title={k: str(v) for k, v in offer.title.items()},
        description={k: str(v) for k, v in offer.description.items()},
        provider_id=view.provider.id or 0,
        provider=view.provider.name,
        category_id=offer.category_id,
        unit=str(offer.unit),
        price_cents=offer.unit_price_cents,
        vat_rate_bp=offer.vat_rate_bp,
        monthly_quantity=view.monthly_quantity,
        monthly_cents=view.monthly_cents,
        languages=list(offer.languages),
        delivery_modes=list(offer.delivery_modes),
        areas=[m.code for m in view.areas],
        valid_from=offer.valid_from.isoformat() if offer.valid_from else None,
        valid_to=offer.valid_to.isoformat() if offer.valid_to else None,
        last_checked_at=offer.last_checked_at.isoformat(),
        rating=RatingOut(
            count=view.rating.count, average=view.rating.average, enough=view.rating.enough
        ),
    )


@router.get("/hsds", summary="The approved catalogue as Open Referral HSDS 3.0 JSON")
def api_hsds(session: DbSession) -> dict[str, object]:
    return hsds.export(session)
