"""The embedded engine: the index lives in the application's own database.

The search tables (search_document, search_facet, search_term) are the source of truth,
written transactionally and stamped with a version (memory_sync.py). Queries are answered from
an in-process copy of them as sets of slots (memory_index.py, memory_query.py) that each
process brings up to date when the version moved, so neither the text matching (substrings,
word starts, Snowball-based keys, compound parts, synonyms, typos from the vocabulary's
deletion index) nor the facet counts scan the tables per query.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import delete, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from app.models.search import SearchDocument, SearchFacet, SearchTerm
from app.services.search import plain, synonym_store
from app.services.search.analysis import is_root
from app.services.search.base import SearchDoc, SearchQuery, SearchResult, SearchUnavailable
from app.services.search.embedded_text import document_texts, naming_words, prefix_rows
from app.services.search.memory_query import run
from app.services.search.memory_sync import (
    CHANGED,
    IndexLoading,
    Synced,
    current,
    lock_writers,
    stamp,
)
from app.services.search.synonym_store import Groups
from app.services.search.text import words
from app.services.search.understand import interpret, plan_words
from app.services.search.vocabulary import forget, vocabulary

MIN_TERM = 3
ENOUGH = 5


class EmbeddedEngine:
    """Built on an Engine (own transactions) or on a request's Connection (shares its
    transaction: on SQLite a second connection would wait for the request's write lock)."""

    name = "embedded"

    def __init__(self, db: Engine | Connection) -> None:
        self.db = db
        self.sqlite = db.dialect.name == "sqlite"

    @contextmanager
    def _connection(self, *, write: bool) -> Iterator[Connection]:
        """The request's Connection inside a savepoint; on an Engine, a transaction to write
        in or a plain connection to read from."""
        if isinstance(self.db, Connection):
            with self.db.begin_nested():
                yield self.db
        else:
            with self.db.begin() if write else self.db.connect() as conn:
                yield conn

    # -- writing -----------------------------------------------------------------------
    def index(self, docs: list[SearchDoc]) -> None:
        if not docs:
            return
        try:
            with self._connection(write=True) as conn:
                lock_writers(conn)
                self._remove(conn, [d.offer_id for d in docs])
                vocab = vocabulary(conn)
                terms = self._batch_terms(docs)
                vocab.add(sorted(terms))

                def known(word: str) -> bool:
                    return is_root(word) or (len(word) >= 5 and word in vocab.words)

                for doc in docs:
                    titles, body, stems = document_texts(doc, known)
                    conn.execute(
                        SearchDocument.__table__.insert().values(  # type: ignore[attr-defined]
                            offer_id=doc.offer_id,
                            provider_id=doc.provider_id,
                            provider_name=doc.provider_name,
                            category_id=doc.category_id,
                            organiser_ids=doc.organiser_ids,
                            title=doc.title,
                            unit=doc.unit,
                            price_cents=doc.price_cents,
                            rating_avg=doc.rating_avg,
                            rating_count=doc.rating_count,
                            valid_from=doc.valid_from,
                            valid_to=doc.valid_to,
                            title_lc=titles,
                            body=body,
                            stems=stems,
                        )
                    )
                    rows = [
                        {"offer_id": doc.offer_id, "name": name, "value": value}
                        for name, values in doc.facet_values().items()
                        for value in values
                    ] + prefix_rows(doc.offer_id, naming_words(doc))
                    if rows:
                        conn.execute(SearchFacet.__table__.insert(), rows)  # type: ignore[attr-defined]
                self._add_terms(conn, terms)
                stamp(conn, [d.offer_id for d in docs])
                vocab.rows = int(
                    conn.execute(text("SELECT COUNT(*) FROM search_term")).scalar_one()
                )
        except SQLAlchemyError as exc:
            raise SearchUnavailable(str(exc)) from exc

    @staticmethod
    def _batch_terms(docs: list[SearchDoc]) -> set[str]:
        found: set[str] = set()
        for doc in docs:
            texts = [*doc.title.values(), *doc.description.values(), doc.provider_name]
            texts += list(doc.category_names.values())
            found.update(w for t in texts for w in words(t) if MIN_TERM <= len(w) <= 100)
        return found

    def _add_terms(self, conn: Connection, terms: Iterable[str]) -> None:
        rows = [{"t": t, "n": len(t)} for t in sorted(terms)]
        if rows:
            conn.execute(
                text(
                    "INSERT INTO search_term(term, length) VALUES (:t, :n) "
                    "ON CONFLICT (term) DO NOTHING"
                ),
                rows,
            )

    def _remove(self, conn: Connection, offer_ids: list[int]) -> None:
        for start in range(0, len(offer_ids), 500):
            chunk = offer_ids[start : start + 500]
            conn.execute(
                delete(SearchFacet).where(
                    SearchFacet.offer_id.in_(chunk),  # type: ignore[attr-defined]
                    SearchFacet.name != CHANGED,
                )
            )
            conn.execute(delete(SearchDocument).where(SearchDocument.offer_id.in_(chunk)))  # type: ignore[attr-defined]

    def delete(self, offer_ids: list[int]) -> None:
        if not offer_ids:
            return
        try:
            with self._connection(write=True) as conn:
                lock_writers(conn)
                self._remove(conn, offer_ids)
                stamp(conn, offer_ids)
        except SQLAlchemyError as exc:
            raise SearchUnavailable(str(exc)) from exc

    def clear(self) -> None:
        with self._connection(write=True) as conn:
            lock_writers(conn)
            conn.execute(delete(SearchFacet))
            conn.execute(delete(SearchDocument))
            conn.execute(delete(SearchTerm))
            if self.sqlite:
                conn.execute(text("DELETE FROM search_fts"))
            forget(conn)

    def health(self) -> bool:
        try:
            with self._connection(write=False) as conn:
                conn.execute(text("SELECT 1 FROM search_document LIMIT 1"))
            return True
        except SQLAlchemyError:
            return False

    def sync_synonyms(self) -> None:
        """Nothing to send: each search reads the stored groups' version (synonym_store)."""

    # -- reading -----------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResult:
        try:
            with self._connection(write=False) as conn:
                try:
                    with current(conn) as synced:
                        extra = synonym_store.groups_for(conn, query.organiser_id)
                        return self._search(synced, query, extra)
                except IndexLoading:  # a fresh process: a plain query until it is loaded
                    return plain.answer(conn, query)
        except SQLAlchemyError as exc:
            raise SearchUnavailable(str(exc)) from exc

    @staticmethod
    def _search(synced: Synced, query: SearchQuery, extra: Groups = ()) -> SearchResult:
        query = interpret(query)
        plans = plan_words(query.q, synced.vocab, extra=extra)
        result = run(synced.index, query, plans, relaxed=False)
        if result.total < ENOUGH and plans:
            # Too few: widen to compound heads and typos (only now look for typo candidates).
            wider = plan_words(query.q, synced.vocab, typos=True, extra=extra)
            if any(p.widen or p.typos for p in wider):
                result = run(synced.index, query, wider, relaxed=True)
        return result
