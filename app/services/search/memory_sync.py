"""Keeping each process's in-memory index (memory_index.py) equal to the search tables.

The tables stay the source of truth. Every index write also stamps the offers it touched with
a version, rows of `search_facet` named "changed" whose value is "<sequence>.<random>"
(deleted offers keep theirs as tombstones). A query reads the newest version through the
table's (name, value) index; when it moved, the process reloads only the offers stamped after
the version it holds, and rebuilds from scratch when that version is gone (a clear, a rolled
back write it had seen, or pruned history). So an edit in one web process is searchable in
another by its next query. Writers are serialised (SQLite's write lock; an advisory lock on
PostgreSQL) so sequences grow in commit order.

A fresh process loads the index in a background thread (`warm`, started by the app's lifespan
or by the first query); a query that arrives meanwhile waits at most `WAIT_SECONDS` and then
gets `IndexLoading`, so the catalogue answers from its plain database query until the load is
done. Indexes are held per Engine object, weakly: a disposed-of engine takes its index along.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import JSON, Date, bindparam, text
from sqlalchemy.engine import Connection, Engine

from app.services.search.base import Hit, SearchUnavailable
from app.services.search.embedded_text import PREFIX
from app.services.search.memory_index import Entry, MemoryIndex
from app.services.search.vocabulary import Vocabulary, vocabulary

CHANGED = "changed"
KEEP = 2000  # write transactions of history kept for processes catching up
CHUNK = 500
_LOADED = ("category", "municipality", "language", "delivery", "price", "rating", "organiser")
_LOCK_ID = 0x68656275  # "hebu"
WAIT_SECONDS = 2.0  # how long a query waits for an index still loading
log = logging.getLogger(__name__)


class IndexLoading(SearchUnavailable):
    """The in-memory index is still being loaded (a fresh process); ask again shortly."""


def lock_writers(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_ID})


def newest(conn: Connection) -> str | None:
    found = conn.execute(
        text("SELECT MAX(value) FROM search_facet WHERE name = :n"), {"n": CHANGED}
    ).scalar()
    return str(found) if found is not None else None


def stamp(conn: Connection, offer_ids: list[int]) -> None:
    """Mark the offers as changed in this (writer-locked) transaction."""
    if not offer_ids:
        return
    last = newest(conn)
    sequence = int(last.split(".")[0]) + 1 if last else 1
    value = f"{sequence:012d}.{uuid.uuid4().hex[:8]}"
    conn.execute(
        text("INSERT INTO search_facet(offer_id, name, value) VALUES (:o, :n, :v)"),
        [{"o": o, "n": CHANGED, "v": value} for o in sorted(set(offer_ids))],
    )
    if sequence > KEEP and sequence % 100 == 0:
        conn.execute(
            text("DELETE FROM search_facet WHERE name = :n AND value < :v"),
            {"n": CHANGED, "v": f"{sequence - KEEP:012d}"},
        )


def _doc_rows(conn: Connection, ids: list[int] | None) -> list[tuple[Entry, str, list]]:
    where = "" if ids is None else " WHERE offer_id IN :ids"
    docs = text(
        "SELECT offer_id, title, provider_id, provider_name, category_id, unit, price_cents, "
        f"rating_avg, rating_count, valid_from, valid_to, title_lc, body, stems "
        f"FROM search_document{where}"
    ).columns(title=JSON(), valid_from=Date(), valid_to=Date())
    facets = text(
        "SELECT offer_id, name, value FROM search_facet WHERE name IN :names"
        + ("" if ids is None else " AND offer_id IN :ids")
    ).bindparams(bindparam("names", expanding=True))
    if ids is not None:
        docs = docs.bindparams(bindparam("ids", expanding=True))
        facets = facets.bindparams(bindparam("ids", expanding=True))
    chunks = [None] if ids is None else [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
    by_offer: dict[int, list[tuple[str, str]]] = {}
    rows: list[Any] = []
    for chunk in chunks:
        params = {"names": [*_LOADED, PREFIX], "ids": chunk}
        if chunk is None:  # everything: the driver's own cursor, without per-row processing
            cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            names = ", ".join(f"'{n}'" for n in (*_LOADED, PREFIX))  # constants, not input
            cursor.execute(
                f"SELECT offer_id, name, value FROM search_facet WHERE name IN ({names})"
            )
            facet_rows = cursor.fetchall()
            cursor.close()
        else:
            facet_rows = conn.execute(facets, params).all()
        for offer_id, name, value in facet_rows:
            by_offer.setdefault(offer_id, []).append((name, value))
        rows += conn.execute(docs, params).all()
    out = []
    for row in rows:
        title = json.loads(row[1]) if isinstance(row[1], str) else row[1]
        hit = Hit(row[0], title, row[2], row[3], row[4], row[5], row[6], row[7], int(row[8] or 0))
        entry = Entry(hit, row[9], row[10], f" {row[11]} ", f" {row[12]} ")
        out.append((entry, str(row[13]), by_offer.get(row[0], [])))
    return out


@dataclass
class Synced:
    index: MemoryIndex
    version: str | None
    vocab: Vocabulary
    lock: threading.RLock = field(default_factory=threading.RLock)


_synced: WeakKeyDictionary[Engine, Synced] = WeakKeyDictionary()
_loading: WeakKeyDictionary[Engine, threading.Event] = WeakKeyDictionary()
_lock = threading.Lock()


def _build(conn: Connection, version: str | None) -> Synced:
    docs = _doc_rows(conn, None)
    index = MemoryIndex(len(docs))
    index.build(docs)
    return Synced(index, version, _follow(vocabulary(conn), index))


def _follow(vocab: Vocabulary, index: MemoryIndex) -> Vocabulary:
    """Key and file the vocabulary's new words in the background; meanwhile `knows` also
    accepts the keys the writer stored with the documents."""
    vocab.provisional = index.key.data
    threading.Thread(target=vocab.prepare, name="hebu-typo-index", daemon=True).start()
    return vocab


def _catch_up(conn: Connection, synced: Synced, version: str | None) -> Synced:
    held = synced.version
    if held is not None:
        still = conn.execute(
            text("SELECT 1 FROM search_facet WHERE name = :n AND value = :v"),
            {"n": CHANGED, "v": held},
        ).first()
        if still is None:
            return _build(conn, version)
    ids = conn.execute(
        text("SELECT DISTINCT offer_id FROM search_facet WHERE name = :n AND value > :v"),
        {"n": CHANGED, "v": held or ""},
    ).scalars()
    changed = sorted(int(i) for i in ids)
    if len(changed) > max(1000, synced.index.live // 4):
        return _build(conn, version)
    found = _doc_rows(conn, changed)
    for offer_id in set(changed) - {entry.offer_id for entry, _s, _f in found}:
        synced.index.remove(offer_id)
    for entry, stems, facets in found:
        synced.index.add(entry, stems, facets)
    if synced.index.worn():
        return _build(conn, version)
    synced.version = version
    vocab = vocabulary(conn)
    synced.vocab = vocab if vocab.keyed else _follow(vocab, synced.index)
    return synced


def warm(engine: Engine) -> threading.Event:
    """Start loading the engine's index in a background thread (once); the event is set
    when the load ended (loaded, or failed: the next query starts another)."""
    with _lock:
        done = _loading.get(engine)
        if done is not None:
            return done
        done = threading.Event()
        if engine in _synced:
            done.set()
            return done
        _loading[engine] = done
    loader = threading.Thread(target=_load, args=(engine, done), name="hebu-search-load")
    loader.daemon = True
    loader.start()
    return done


def _load(engine: Engine, done: threading.Event) -> None:
    try:
        with engine.connect() as conn:
            synced = _build(conn, newest(conn))
        with _lock:
            _synced.setdefault(engine, synced)
    except Exception:
        log.exception("loading the search index failed")
    finally:
        with _lock:
            _loading.pop(engine, None)
        done.set()


def loaded(engine: Engine) -> bool:
    return engine in _synced


@contextmanager
def current(conn: Connection) -> Iterator[Synced]:
    """This database's index, brought up to date, held locked for one query."""
    key = conn.engine
    version = newest(conn)
    synced = _synced.get(key)
    if synced is None:
        warm(key).wait(WAIT_SECONDS)
        synced = _synced.get(key)
        if synced is None:
            raise IndexLoading("the search index is still loading")
    with synced.lock:
        if synced.version != version:
            updated = _catch_up(conn, synced, version)
            if updated is not synced:
                with _lock:
                    _synced[key] = updated
                with updated.lock:
                    yield updated
                return
        yield synced
