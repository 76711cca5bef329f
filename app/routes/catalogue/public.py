"""The public catalogue: search, offer and provider pages, comparison (no login needed)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.deps import DbSession, MaybeUser
from app.forms import Id, parse_ids
from app.i18n import lazy_gettext
from app.models.user import Role
from app.navigation import register
from app.routes.catalogue.params import back_to_search, build_query, client_context, query_string
from app.services.catalogue import browse, cards, favourites
from app.services.ratings import feedback
from app.templating import render

router = APIRouter()
register("/palvelut", lazy_gettext("Services"), {Role.client, Role.assistant}, order=23)


@router.get("/palvelut")
def search_page(request: Request, session: DbSession, actor: MaybeUser) -> Response:
    organiser_id, home = client_context(session, actor)
    query, state = build_query(request.query_params, organiser_id, home)
    result = browse.search(session, query)
    cats = browse.categories(session, organiser_id)
    facts = cards.cards(session, [hit.offer_id for hit in result.hits])
    codes = (
        browse.served_municipalities(session, organiser_id)
        | set(result.facets.get("municipality", {}))
        | set(query.municipality)
    )
    shown = {code for card in facts.values() for code in card.areas_shown}
    context = {
        "actor": actor,
        "result": result,
        "cards": facts,
        "area_names": browse.municipality_names(session, shown) if shown else {},
        "state": state,
        "categories": cats,
        "category_names": {str(c.id): c.name for c in cats},
        "municipalities": browse.municipality_names(session, codes),
        "query_string": query_string,
        "favourites": favourites.favourite_ids(session, actor),
    }
    return render(request, "catalogue/public/search.html", context, block="results")


@router.get("/palvelut/vertaa")
def compare_page(request: Request, session: DbSession, actor: MaybeUser) -> Response:
    ids = parse_ids(request.query_params.getlist("offer"))
    views = browse.compare(session, ids)
    context = {
        "actor": actor,
        "views": views,
        "differs": browse.differences(views),
        "too_many": len(set(ids)) > browse.MAX_COMPARE,
        "back_url": back_to_search(request.query_params),
    }
    return render(request, "catalogue/public/compare.html", context)


@router.get("/palvelut/tuottajat/{provider_id}")
def provider_page(
    request: Request, provider_id: Id, session: DbSession, actor: MaybeUser
) -> Response:
    view = browse.public_provider(session, provider_id)
    summary = feedback.provider_summary(session, provider_id)
    context = {"actor": actor, "view": view, "summary": summary}
    return render(request, "catalogue/public/provider.html", context)


@router.get("/palvelut/{offer_id}")
def offer_page(request: Request, offer_id: Id, session: DbSession, actor: MaybeUser) -> Response:
    view = browse.public_offer(session, offer_id)
    context = {
        "actor": actor,
        "view": view,
        "ratings": feedback.public_ratings(session, offer_id),
        "reported": request.query_params.get("ilmoitettu", "").isdigit(),
        "min_ratings": browse.MIN_RATINGS,
        "back_url": back_to_search(request.query_params),
        "favourites": favourites.favourite_ids(session, actor),
        "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
    }
    return render(request, "catalogue/public/offer.html", context)
