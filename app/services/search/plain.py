"""The embedded engine's answer while its in-memory index is still loading: one plain SQL query
over the search tables (every query word inside the indexed text, the filters as
sub-selects of `search_facet`, price order), paged, without facet counts or relevance."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Date, bindparam, text
from sqlalchemy.engine import Connection

from app.services.search.base import SearchQuery, SearchResult, Sort, hit_from_row
from app.services.search.text import words

MAX_WORDS = 6
_ORDER = {
    Sort.price_desc: "price_cents DESC, offer_id",
    Sort.rating: "rating_avg IS NULL, rating_avg DESC, offer_id",
}


def _filters(query: SearchQuery) -> tuple[list[str], dict[str, Any], list[str]]:
    where = ["(valid_from IS NULL OR valid_from <= :day)", "(valid_to IS NULL OR valid_to >= :day)"]
    params: dict[str, Any] = {"day": query.today}
    if query.today is None:  # as the index: no day given, no validity filter
        where, params = ["1 = 1"], {}
    for i, word in enumerate(words(query.q)[:MAX_WORDS]):
        where.append(f"body LIKE :w{i}")
        params[f"w{i}"] = f"%{word}%"
    lists = {
        "category": [str(c) for c in query.category],
        "municipality": list(query.municipality),
        "language": list(query.language),
        "delivery": list(query.delivery),
        "organiser": [] if query.organiser_id is None else [str(query.organiser_id)],
    }
    expanding = []
    for name, values in lists.items():
        if values:
            where.append(
                f"offer_id IN (SELECT offer_id FROM search_facet "
                f"WHERE name = :n_{name} AND value IN :v_{name})"
            )
            params[f"n_{name}"], params[f"v_{name}"] = name, values
            expanding.append(f"v_{name}")
    for column, op, value in (
        ("price_cents", ">=", query.price_min_cents),
        ("price_cents", "<=", query.price_max_cents),
        ("rating_avg", ">=", query.min_rating),
    ):
        if value is not None:
            where.append(f"{column} {op} :p{len(params)}")
            params[f"p{len(params)}"] = value
    return where, params, expanding


def answer(conn: Connection, query: SearchQuery) -> SearchResult:
    where, params, expanding = _filters(query)
    clause = " AND ".join(where)
    binds = [bindparam(n, expanding=True) for n in expanding]
    if "day" in params:
        binds.append(bindparam("day", type_=Date()))
    count = text(f"SELECT COUNT(*) FROM search_document WHERE {clause}").bindparams(*binds)
    rows = (
        text(
            "SELECT offer_id, title, provider_id, provider_name, category_id, unit, "
            f"price_cents, rating_avg, rating_count FROM search_document WHERE {clause} "
            f"ORDER BY {_ORDER.get(query.sort, 'price_cents, offer_id')} "
            "LIMIT :limit OFFSET :offset"
        )
        .bindparams(*binds)
        .columns(title=JSON())
    )
    total = int(conn.execute(count, params).scalar_one())
    found = conn.execute(rows, {**params, "limit": query.per_page, "offset": query.offset})
    return SearchResult(
        hits=[hit_from_row(row) for row in found],
        total=total,
        facets={},
        page=query.page,
        per_page=query.per_page,
        degraded=True,
    )
