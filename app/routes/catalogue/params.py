"""Parsing the catalogue's query string (shared by the HTML pages and the JSON API)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from app.forms import parse_ids, parse_money_cents
from app.models.actor import Actor
from app.services.identity.users import client_membership
from app.services.search import SearchQuery, Sort

PER_PAGE = 20
MAX_PAGE = 500
MAX_Q = 200


def _cents(value: str | None) -> int | None:
    if not value:
        return None
    try:
        cents = parse_money_cents(value)
    except ValueError:
        return None
    return cents if 0 <= cents <= 100_000_000 else None


def client_context(session: Session, actor: Actor | None) -> tuple[int | None, str | None]:
    """(organiser id, home municipality) of a logged-in client, else (None, None)."""
    if actor is None:
        return None, None
    membership = client_membership(session, actor.subject_id)
    if membership is None:
        return None, None
    return membership.organiser_id, membership.municipality_code


def build_query(
    params: Any, organiser_id: int | None = None, home_municipality: str | None = None
) -> tuple[SearchQuery, dict[str, Any]]:
    """(the search query, the form state to render) from a query string multi-dict."""
    getlist = params.getlist if hasattr(params, "getlist") else lambda k: [params[k]]
    get: Mapping[str, Any] = params
    municipality = [m for m in getlist("municipality") if m.isdigit() and len(m) == 3]
    if not municipality and home_municipality and "f" not in get:
        municipality = [home_municipality]
    try:
        sort = Sort(get.get("sort") or "relevance")
    except ValueError:
        sort = Sort.relevance
    try:
        page = min(max(int(get.get("page") or 1), 1), MAX_PAGE)
    except ValueError:
        page = 1
    rating = get.get("min_rating") or ""
    query = SearchQuery(
        q=str(get.get("q") or "")[:MAX_Q],
        category=parse_ids(getlist("category")),
        municipality=municipality,
        language=[v for v in getlist("language") if v.isalpha() and len(v) <= 3],
        delivery=[v for v in getlist("delivery") if v in ("home", "provider", "remote")],
        price_min_cents=_cents(get.get("price_min")),
        price_max_cents=_cents(get.get("price_max")),
        min_rating=int(rating) if rating in ("2", "3", "4") else None,
        organiser_id=organiser_id,
        sort=sort,
        page=page,
        per_page=PER_PAGE,
    )
    state = {
        "q": query.q,
        "category": {str(c) for c in query.category},
        "municipality": set(query.municipality),
        "language": set(query.language),
        "delivery": set(query.delivery),
        "price_min": get.get("price_min") or "",
        "price_max": get.get("price_max") or "",
        "min_rating": rating,
        "sort": sort.value,
    }
    # How many filters are on: shown on the collapsed "Filters (n)" button, so the results stay
    # right under the search field (also when the home municipality is preselected).
    state["filters_on"] = sum(
        len(state[key]) for key in ("category", "municipality", "language", "delivery")
    ) + sum(1 for key in ("price_min", "price_max", "min_rating") if state[key])
    return query, state


def query_string(state: dict[str, Any], **changes: Any) -> str:
    from urllib.parse import urlencode

    pairs: list[tuple[str, str]] = [("f", "1")]
    merged = {**state, **changes}
    for key in ("q", "price_min", "price_max", "min_rating", "sort", "page"):
        value = merged.get(key)
        if value not in (None, "", "relevance"):
            pairs.append((key, str(value)))
    for key in ("category", "municipality", "language", "delivery"):
        pairs += [(key, v) for v in sorted(merged.get(key) or [])]
    return urlencode(pairs)


SEARCH_KEYS = frozenset(
    {"f", "q", "category", "municipality", "language", "delivery", "price_min", "price_max"}
    | {"min_rating", "sort", "page"}
)


def back_to_search(params: Any) -> str:
    """The search an offer or comparison page was opened from (its `back` parameter, only the
    search's own keys kept), so "Back to services" returns to the same results."""
    from urllib.parse import parse_qsl, urlencode

    raw = str(params.get("back") or "")[:2000]
    pairs = [(k, v[:200]) for k, v in parse_qsl(raw) if k in SEARCH_KEYS]
    return "/palvelut" + ("?" + urlencode(pairs) if pairs else "")
