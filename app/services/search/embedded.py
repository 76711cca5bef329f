"""The embedded engine: the index lives in the application's own database.

SQLite: an FTS5 table with the `trigram` tokenizer (substring matches of 3+ characters, so
"siivous" finds "kotisiivous"). PostgreSQL: pg_trgm GIN indexes on the same columns. Both
also match Snowball stems (fi/sv inflections: "omaishoitajan" ~ "omaishoitaja") and, for
typos, words of the indexed vocabulary within a small edit distance ("fysoterapia").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import JSON, Date, Float, Integer, String, bindparam, delete, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from app.models.search import SearchDocument, SearchFacet, SearchTerm
from app.services.search.analysis import is_root
from app.services.search.base import (
    FACETS,
    Hit,
    SearchDoc,
    SearchQuery,
    SearchResult,
    SearchUnavailable,
    Sort,
    hit_from_row,
)
from app.services.search.embedded_text import WordSql, document_texts, key_rows, naming_words
from app.services.search.text import words
from app.services.search.understand import WordPlan, interpret, plan_words
from app.services.search.vocabulary import Vocabulary, forget, vocabulary

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
                    ] + key_rows(doc.offer_id, stems, naming_words(doc))
                    if rows:
                        conn.execute(SearchFacet.__table__.insert(), rows)  # type: ignore[attr-defined]
                    if self.sqlite:
                        conn.execute(
                            text("INSERT INTO search_fts(rowid, body, stems) VALUES (:id, :b, :s)"),
                            {"id": doc.offer_id, "b": body, "s": ""},
                        )
                self._add_terms(conn, terms)
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
            conn.execute(delete(SearchFacet).where(SearchFacet.offer_id.in_(chunk)))  # type: ignore[attr-defined]
            conn.execute(delete(SearchDocument).where(SearchDocument.offer_id.in_(chunk)))  # type: ignore[attr-defined]
            if self.sqlite:
                conn.execute(
                    text("DELETE FROM search_fts WHERE rowid IN :ids").bindparams(
                        bindparam("ids", expanding=True)
                    ),
                    {"ids": chunk},
                )

    def delete(self, offer_ids: list[int]) -> None:
        if not offer_ids:
            return
        try:
            with self._connection(write=True) as conn:
                self._remove(conn, offer_ids)
        except SQLAlchemyError as exc:
            raise SearchUnavailable(str(exc)) from exc

    def clear(self) -> None:
        with self._connection(write=True) as conn:
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

    # -- reading -----------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResult:
        try:
            with self._connection(write=False) as conn:
                return self._search(conn, query)
        except SQLAlchemyError as exc:
            raise SearchUnavailable(str(exc)) from exc

    def _text_filter(
        self, plans: list[WordPlan], params: dict[str, Any], relaxed: bool
    ) -> tuple[list[str], list[str], list[str]]:
        """(where clauses, score terms, joins for the score) for the planned query words."""
        clauses: list[str] = []
        scores: list[str] = []
        joins: list[str] = []
        for i, plan in enumerate(plans):
            sql = WordSql(plan, i, params, self.sqlite)
            clauses.append(sql.condition(relaxed))
            scores.append(sql.score())
            joins.append(f"LEFT JOIN {sql.key_join()} ON ks{i}.offer_id = d.offer_id")
        return clauses, scores, joins

    def _search(self, conn: Connection, query: SearchQuery) -> SearchResult:
        query = interpret(query)
        vocab: Vocabulary = vocabulary(conn) if query.q else Vocabulary()
        plans = plan_words(query.q, vocab)
        result = self._run(conn, query, plans, relaxed=False)
        if result.total < ENOUGH and plans:
            # Too few: widen to compound heads and typos (only now look for typo candidates).
            wider = plan_words(query.q, vocab, typos=True)
            if any(p.widen or p.typos for p in wider):
                result = self._run(conn, query, wider, relaxed=True)
        return result

    def _run(
        self, conn: Connection, query: SearchQuery, plans: list[WordPlan], relaxed: bool
    ) -> SearchResult:
        params: dict[str, Any] = {}
        where = ["1=1"]
        if query.today is not None:
            params["today"] = query.today
            where.append(
                "(d.valid_from IS NULL OR d.valid_from <= :today) "
                "AND (d.valid_to IS NULL OR d.valid_to >= :today)"
            )
        filters: list[tuple[str, list[str]]] = [
            ("category", [str(c) for c in query.category]),
            ("municipality", query.municipality),
            ("language", query.language),
            ("delivery", query.delivery),
        ]
        if query.organiser_id is not None:
            filters.append(("organiser", [str(query.organiser_id)]))
        own_filter: dict[str, str] = {}  # facet name -> its filter clause
        for i, (name, values) in enumerate(filters):
            if not values:
                continue
            params[f"fn{i}"] = name
            names = []
            for j, value in enumerate(values[:50]):
                params[f"fv{i}_{j}"] = value
                names.append(f":fv{i}_{j}")
            own_filter[name] = (
                f"d.offer_id IN (SELECT offer_id FROM search_facet WHERE name = :fn{i} "
                f"AND value IN ({', '.join(names)}))"
            )
            where.append(own_filter[name])
        if query.price_min_cents is not None:
            params["pmin"] = query.price_min_cents
            where.append("d.price_cents >= :pmin")
        if query.price_max_cents is not None:
            params["pmax"] = query.price_max_cents
            where.append("d.price_cents <= :pmax")
        if query.min_rating is not None:
            params["rmin"] = float(query.min_rating)
            where.append("d.rating_avg >= :rmin")
        clauses, scores, joins = self._text_filter(plans, params, relaxed)
        where += clauses
        condition = " AND ".join(where)
        score = " + ".join(scores) if scores else "0"
        order = {
            Sort.relevance: "score DESC, d.price_cents ASC, d.offer_id ASC",
            Sort.price_asc: "d.price_cents ASC, d.offer_id ASC",
            Sort.price_desc: "d.price_cents DESC, d.offer_id ASC",
            Sort.rating: "(d.rating_avg IS NULL) ASC, d.rating_avg DESC, d.rating_count DESC, "
            "d.offer_id ASC",
        }[query.sort]

        def run(sql: str, extra: dict[str, Any] | None = None, **types: Any) -> Any:
            stmt = text(sql)
            if ":today" in sql:
                stmt = stmt.bindparams(bindparam("today", type_=Date()))
            if types:
                stmt = stmt.columns(**types)  # type: ignore[assignment]
            return conn.execute(stmt, {**params, **(extra or {})})

        if self.sqlite:
            # Match once into a per-connection temp table; count, page and facets read it.
            conn.execute(
                text("CREATE TEMP TABLE IF NOT EXISTS search_hits(offer_id INTEGER PRIMARY KEY)")
            )
            conn.execute(text("DELETE FROM temp.search_hits"))
            run(
                f"INSERT INTO temp.search_hits SELECT d.offer_id FROM search_document d "
                f"WHERE {condition}"
            )
            condition = "d.offer_id IN (SELECT offer_id FROM temp.search_hits)"
            total = int(conn.execute(text("SELECT COUNT(*) FROM temp.search_hits")).scalar_one())
        else:
            total = int(
                run(f"SELECT COUNT(*) FROM search_document d WHERE {condition}").scalar_one()
            )
        rows = run(
            "SELECT d.offer_id, d.title, d.provider_id, d.provider_name, d.category_id, d.unit, "
            f"d.price_cents, d.rating_avg, d.rating_count, {score} AS score "
            f"FROM search_document d {' '.join(joins)} WHERE {condition} ORDER BY {order} "
            "LIMIT :limit OFFSET :offset",
            {"limit": query.per_page, "offset": query.offset},
            offer_id=Integer(),
            title=JSON(),
            provider_id=Integer(),
            provider_name=String(),
            category_id=Integer(),
            unit=String(),
            price_cents=Integer(),
            rating_avg=Float(),
            rating_count=Integer(),
            score=Integer(),
        ).all()
        facets: dict[str, dict[str, int]] = {}
        if total:
            matched = (
                "SELECT offer_id FROM temp.search_hits"
                if self.sqlite
                else f"SELECT d.offer_id FROM search_document d WHERE {condition}"
            )
            facet_rows = run(
                "SELECT f.name, f.value, COUNT(*) FROM search_facet f WHERE f.offer_id IN "
                f"({matched}) AND f.name IN ({', '.join(repr(n) for n in FACETS)}) "
                "GROUP BY f.name, f.value"
            ).all()
            for name, value, count in facet_rows:
                facets.setdefault(name, {})[value] = int(count)
        # Disjunctive within a facet: a filtered facet counts as if its own filter were off.
        for name, clause in own_filter.items():
            if name not in FACETS:
                continue
            others = " AND ".join(c for c in where if c is not clause)
            counts = run(
                "SELECT f.value, COUNT(*) FROM search_facet f WHERE f.name = :own_facet AND "
                f"f.offer_id IN (SELECT d.offer_id FROM search_document d WHERE {others}) "
                "GROUP BY f.value",
                {"own_facet": name},
            ).all()
            facets[name] = {str(value): int(count) for value, count in counts}
        hits: list[Hit] = []
        for row in rows:
            hit = hit_from_row(row)
            if isinstance(row.title, str):
                hit.title = json.loads(row.title)
            hits.append(hit)
        return SearchResult(
            hits=hits, total=total, facets=facets, page=query.page, per_page=query.per_page
        )
