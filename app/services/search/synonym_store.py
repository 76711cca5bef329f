"""The synonym groups organisers' admins keep in the database, as the search reads them.

Both engines expand a query word of a group to the group's other words, beside the built-in
groups of `data/synonyms.json` (lexicon.py). The embedded engine applies the groups of the
searching client's organiser (all organisers' when the search is not for one); Meilisearch
holds one synonym list per index, so it gets every organiser's groups (meili.py).

Each process keeps the groups it read with the table's version (row count, id sum and newest
change): one small aggregate per search tells whether another process changed them, so an
admin's edit applies to the next search everywhere, without a restart.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from app.models.search import SearchSynonym

Groups = tuple[tuple[str, ...], ...]
_lock = threading.Lock()
_cache: dict[str, Any] = {"version": None, "rows": ()}


def _version(conn: Connection) -> tuple[Any, ...]:
    t = SearchSynonym.__table__  # type: ignore[attr-defined]
    row = conn.execute(select(func.count(), func.sum(t.c.id), func.max(t.c.updated_at))).one()
    return (int(row[0] or 0), int(row[1] or 0), str(row[2]))


def _rows(conn: Connection) -> tuple[tuple[int, Groups], ...]:
    version = _version(conn)
    with _lock:
        if _cache["version"] == version:
            return tuple(_cache["rows"])
    t = SearchSynonym.__table__  # type: ignore[attr-defined]
    rows = conn.execute(select(t.c.organiser_id, t.c.words_fi, t.c.words_sv).order_by(t.c.id)).all()
    loaded = tuple(
        (int(org), (tuple(dict.fromkeys([*(fi or []), *(sv or [])])),)) for org, fi, sv in rows
    )
    with _lock:
        _cache.update(version=version, rows=loaded)
    return loaded


def groups_for(conn: Connection, organiser_id: int | None) -> Groups:
    """The stored groups a search for `organiser_id` applies (None: every organiser's)."""
    out: list[tuple[str, ...]] = []
    for org, groups in _rows(conn):
        if organiser_id is None or org == organiser_id:
            out.extend(g for g in groups if len(g) >= 2)
    return tuple(out)


def all_groups(conn: Connection) -> Groups:
    return groups_for(conn, None)
