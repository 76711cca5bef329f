"""The search interface every engine implements, and its value types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Protocol

FACETS = ("category", "municipality", "language", "delivery", "price", "rating")
# Price buckets in cents: (key, low inclusive, high exclusive or None).
PRICE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-2000", 0, 2000),
    ("2000-5000", 2000, 5000),
    ("5000-10000", 5000, 10000),
    ("10000-", 10000, None),
)
RATING_LEVELS = (4, 3, 2)


class Sort(StrEnum):
    relevance = "relevance"
    price_asc = "price_asc"
    price_desc = "price_desc"
    rating = "rating"


class SearchUnavailable(Exception):
    """The engine could not answer; callers fall back to a plain database query."""


def price_bucket(cents: int) -> str:
    for key, low, high in PRICE_BUCKETS:
        if cents >= low and (high is None or cents < high):
            return key
    return PRICE_BUCKETS[-1][0]


def rating_levels(avg: float | None) -> list[str]:
    if avg is None:
        return []
    return [str(level) for level in RATING_LEVELS if avg >= level]


@dataclass
class SearchDoc:
    """What an engine indexes for one offer (built from the database by documents.py)."""

    offer_id: int
    provider_id: int
    provider_name: str
    category_id: int
    category_names: dict[str, str]
    organiser_ids: list[int]
    title: dict[str, str]
    description: dict[str, str]
    unit: str
    price_cents: int
    municipalities: list[str]
    languages: list[str]
    delivery_modes: list[str]
    rating_avg: float | None = None
    rating_count: int = 0
    valid_from: date | None = None
    valid_to: date | None = None

    def facet_values(self) -> dict[str, list[str]]:
        return {
            "category": [str(self.category_id)],
            "municipality": sorted(set(self.municipalities)),
            "language": sorted(set(self.languages)),
            "delivery": sorted(set(self.delivery_modes)),
            "price": [price_bucket(self.price_cents)],
            "rating": rating_levels(self.rating_avg),
            "organiser": [str(o) for o in sorted(set(self.organiser_ids))],
        }


@dataclass
class SearchQuery:
    q: str = ""
    category: list[int] = field(default_factory=list)
    municipality: list[str] = field(default_factory=list)
    language: list[str] = field(default_factory=list)
    delivery: list[str] = field(default_factory=list)
    price_min_cents: int | None = None
    price_max_cents: int | None = None
    min_rating: int | None = None
    organiser_id: int | None = None
    sort: Sort = Sort.relevance
    page: int = 1
    per_page: int = 20
    today: date | None = None

    @property
    def offset(self) -> int:
        return (max(self.page, 1) - 1) * self.per_page


@dataclass
class Hit:
    offer_id: int
    title: dict[str, str]
    provider_id: int
    provider_name: str
    category_id: int
    unit: str
    price_cents: int
    rating_avg: float | None = None
    rating_count: int = 0


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]]
    page: int = 1
    per_page: int = 20
    degraded: bool = False  # True when answered by the plain database fallback

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


class SearchEngine(Protocol):
    name: str

    def index(self, docs: list[SearchDoc]) -> None: ...

    def delete(self, offer_ids: list[int]) -> None: ...

    def clear(self) -> None: ...

    def search(self, query: SearchQuery) -> SearchResult: ...

    def health(self) -> bool: ...

    def sync_synonyms(self) -> None:
        """Apply the stored synonym groups (after an admin changed them)."""
        ...


def hit_from_row(row: Any) -> Hit:
    return Hit(
        offer_id=int(row.offer_id),
        title=row.title if isinstance(row.title, dict) else {},
        provider_id=int(row.provider_id),
        provider_name=str(row.provider_name),
        category_id=int(row.category_id),
        unit=str(row.unit),
        price_cents=int(row.price_cents),
        rating_avg=row.rating_avg,
        rating_count=int(row.rating_count or 0),
    )
