"""Which engine answers: the embedded one unless a Meilisearch URL is configured."""

from __future__ import annotations

from sqlalchemy.engine import Connection, Engine

from app.services.search.base import SearchEngine
from app.services.search.embedded import EmbeddedEngine

_meili: dict[str, str | None] = {"url": None, "key": None, "index": "offers"}


def configure(meili_url: str | None, meili_key: str | None = None, index: str = "offers") -> None:
    _meili.update(url=meili_url, key=meili_key, index=index)


def warm_up(db: Engine) -> None:
    """Begin loading the embedded engine's in-memory index in the background (app start)."""
    if not _meili["url"]:
        from app.services.search.memory_sync import warm

        warm(db)


def engine_for(db: Engine | Connection) -> SearchEngine:
    if _meili["url"]:
        from app.services.search.meili import MeiliEngine
        from app.services.search.synonym_store import all_groups

        if isinstance(db, Connection):
            extra = all_groups(db)
        else:
            with db.connect() as conn:
                extra = all_groups(conn)
        return MeiliEngine(str(_meili["url"]), _meili["key"], str(_meili["index"]), extra)
    return EmbeddedEngine(db)
