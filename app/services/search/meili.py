"""The Meilisearch engine: typo tolerance, facets, filters and ranking rules set by code."""

from __future__ import annotations

from datetime import date
from typing import Any

import meilisearch
from meilisearch.errors import MeilisearchError

from app.services.search.base import (
    Hit,
    SearchDoc,
    SearchQuery,
    SearchResult,
    SearchUnavailable,
    Sort,
)
from app.services.search.lexicon import synonym_groups
from app.services.search.synonym_store import Groups
from app.services.search.understand import interpret

FILTERABLE = [
    "category",
    "municipality",
    "language",
    "delivery",
    "price",
    "rating",
    "organiser",
    "price_cents",
    "rating_avg",
    "valid_from",
    "valid_to",
]
SETTINGS: dict[str, Any] = {
    "searchableAttributes": [
        "title_fi",
        "title_sv",
        "title_en",
        "category_names",
        "provider_name",
        "description_fi",
        "description_sv",
        "description_en",
    ],
    "filterableAttributes": FILTERABLE,
    "sortableAttributes": ["price_cents", "rating_avg", "offer_id"],
    "rankingRules": ["words", "typo", "proximity", "attribute", "sort", "exactness"],
    "typoTolerance": {"enabled": True, "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9}},
    "pagination": {"maxTotalHits": 100000},
    "faceting": {"maxValuesPerFacet": 500},
    # Meilisearch's own Finnish/Swedish tokenising (v1.10+); it folds ä/ö, unlike the embedded
    # engine, so "tyo" finds "työ" there (the conformance suite states it).
    "localizedAttributes": [
        {"attributePatterns": ["title_fi", "description_fi"], "locales": ["fin"]},
        {"attributePatterns": ["title_sv", "description_sv"], "locales": ["swe"]},
    ],
}


def synonyms(extra: Groups = ()) -> dict[str, list[str]]:
    """The synonym groups (built-in and `extra`, the organisers' stored ones) as
    Meilisearch's multi-way synonyms (every word -> the others). One list per index, so every
    organiser's groups apply to every search (the embedded engine scopes them)."""
    out: dict[str, list[str]] = {}
    for group in [*synonym_groups(), *extra]:
        for word in group:
            others = out.setdefault(word, [])
            others.extend(w for w in group if w != word and w not in others)
    return out


NO_DATE_FROM = 0
NO_DATE_TO = 99991231


def _day(value: date | None, default: int) -> int:
    return int(value.strftime("%Y%m%d")) if value else default


def to_document(doc: SearchDoc) -> dict[str, Any]:
    out: dict[str, Any] = {
        "offer_id": doc.offer_id,
        "provider_id": doc.provider_id,
        "provider_name": doc.provider_name,
        "category_id": doc.category_id,
        "category_names": list(doc.category_names.values()),
        "title": doc.title,
        "unit": doc.unit,
        "price_cents": doc.price_cents,
        "rating_avg": doc.rating_avg,
        "rating_count": doc.rating_count,
        "valid_from": _day(doc.valid_from, NO_DATE_FROM),
        "valid_to": _day(doc.valid_to, NO_DATE_TO),
    }
    for lang in ("fi", "sv", "en"):
        out[f"title_{lang}"] = doc.title.get(lang, "")
        out[f"description_{lang}"] = doc.description.get(lang, "")
    out.update(doc.facet_values())
    return out


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def filters_for(query: SearchQuery) -> list[str]:
    parts: list[str] = []
    for name, values in (
        ("category", [str(c) for c in query.category]),
        ("municipality", query.municipality),
        ("language", query.language),
        ("delivery", query.delivery),
    ):
        if values:
            parts.append(f"{name} IN [{', '.join(_quote(v) for v in values)}]")
    if query.organiser_id is not None:
        parts.append(f"organiser = {_quote(str(query.organiser_id))}")
    if query.price_min_cents is not None:
        parts.append(f"price_cents >= {int(query.price_min_cents)}")
    if query.price_max_cents is not None:
        parts.append(f"price_cents <= {int(query.price_max_cents)}")
    if query.min_rating is not None:
        parts.append(f"rating_avg >= {float(query.min_rating)}")
    if query.today is not None:
        day = _day(query.today, 0)
        parts.append(f"valid_from <= {day} AND valid_to >= {day}")
    return parts


class MeiliEngine:
    name = "meilisearch"

    def __init__(
        self, url: str, key: str | None = None, index: str = "offers", extra: Groups = ()
    ) -> None:
        self.client = meilisearch.Client(url, key, timeout=2)
        self.uid = index
        self.extra = extra
        self._configured = False

    def _index(self) -> Any:
        if not self._configured:
            task = self.client.create_index(self.uid, {"primaryKey": "offer_id"})
            self.client.wait_for_task(task.task_uid)
            settings = SETTINGS | {"synonyms": synonyms(self.extra)}
            task = self.client.index(self.uid).update_settings(settings)
            self.client.wait_for_task(task.task_uid)
            self._configured = True
        return self.client.index(self.uid)

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (MeilisearchError, OSError) as exc:
            raise SearchUnavailable(str(exc)) from exc
        except Exception as exc:  # requests' connection errors and timeouts
            raise SearchUnavailable(str(exc)) from exc

    def _wait(self, task: Any) -> None:
        self._call(self.client.wait_for_task, task.task_uid, timeout_in_ms=30000)

    def sync_synonyms(self) -> None:
        """Send the synonym groups again (an admin changed the stored ones)."""
        index = self._call(self._index)
        self._wait(self._call(index.update_synonyms, synonyms(self.extra)))

    def index(self, docs: list[SearchDoc]) -> None:
        if docs:
            index = self._call(self._index)
            self._wait(self._call(index.add_documents, [to_document(d) for d in docs]))

    def delete(self, offer_ids: list[int]) -> None:
        if offer_ids:
            index = self._call(self._index)
            self._wait(self._call(index.delete_documents, [str(i) for i in offer_ids]))

    def clear(self) -> None:
        index = self._call(self._index)
        self._wait(self._call(index.delete_all_documents))

    def health(self) -> bool:
        try:
            return bool(self.client.is_healthy())
        except Exception:
            return False

    def search(self, query: SearchQuery) -> SearchResult:
        query = interpret(query)
        sort = {
            Sort.relevance: None,
            Sort.price_asc: ["price_cents:asc", "offer_id:asc"],
            Sort.price_desc: ["price_cents:desc", "offer_id:asc"],
            Sort.rating: ["rating_avg:desc", "offer_id:asc"],
        }[query.sort]
        params: dict[str, Any] = {
            "filter": " AND ".join(f"({f})" for f in filters_for(query)) or None,
            "facets": ["category", "municipality", "language", "delivery", "price", "rating"],
            "page": max(query.page, 1),
            "hitsPerPage": query.per_page,
        }
        if sort:
            params["sort"] = sort
        index = self._call(self._index)
        raw = self._call(index.search, query.q, params)
        hits = [
            Hit(
                offer_id=int(h["offer_id"]),
                title=h.get("title") or {},
                provider_id=int(h["provider_id"]),
                provider_name=str(h["provider_name"]),
                category_id=int(h["category_id"]),
                unit=str(h["unit"]),
                price_cents=int(h["price_cents"]),
                rating_avg=h.get("rating_avg"),
                rating_count=int(h.get("rating_count") or 0),
            )
            for h in raw.get("hits", [])
        ]
        facets = {
            name: {str(k): int(v) for k, v in values.items() if v}
            for name, values in (raw.get("facetDistribution") or {}).items()
        }
        return SearchResult(
            hits=hits,
            total=int(raw.get("totalHits", len(hits))),
            facets={k: v for k, v in facets.items() if v},
            page=query.page,
            per_page=query.per_page,
        )
