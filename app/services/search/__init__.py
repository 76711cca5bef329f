"""Search: the one package that talks to search engines (embedded or Meilisearch)."""

from app.services.search.base import (
    FACETS,
    Hit,
    SearchDoc,
    SearchEngine,
    SearchQuery,
    SearchResult,
    SearchUnavailable,
    Sort,
)
from app.services.search.outbox import enqueue, enqueue_provider, process_outbox, reindex
from app.services.search.registry import configure, engine_for, warm_up

__all__ = [
    "FACETS",
    "Hit",
    "SearchDoc",
    "SearchEngine",
    "SearchQuery",
    "SearchResult",
    "SearchUnavailable",
    "Sort",
    "configure",
    "engine_for",
    "warm_up",
    "enqueue",
    "enqueue_provider",
    "process_outbox",
    "reindex",
]
