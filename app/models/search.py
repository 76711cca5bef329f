"""The embedded search engine's tables and the transactional outbox feeding any engine.

The database is the source of truth: offer changes write a `SearchOutbox` row in the same
transaction; after commit the rows are turned into documents for the configured engine.
`SearchDocument`/`SearchFacet`/`SearchTerm` are the embedded engine's index. Engine-specific
objects (SQLite FTS5 tables, PostgreSQL trigram indexes) live only in the migration.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from app.models.base import Record, utcnow

# Created by migration 0004 for one dialect only; ignored when comparing models to migrations.
ENGINE_SPECIFIC_TABLES = frozenset({"search_fts"})
ENGINE_SPECIFIC_INDEXES = frozenset(
    {"ix_search_document_body_trgm", "ix_search_document_stems_trgm"}
)


def is_engine_specific(name: str | None, type_: str) -> bool:
    if not name:
        return False
    if type_ == "table":
        return name == "search_fts" or name.startswith("search_fts_")
    if type_ == "index":
        return name in ENGINE_SPECIFIC_INDEXES
    return False


class SearchDocument(SQLModel, table=True):
    __tablename__ = "search_document"

    offer_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    provider_id: int = Field(index=True)
    provider_name: str = Field(max_length=200)
    category_id: int
    organiser_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    title: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    unit: str = Field(max_length=20)
    price_cents: int = Field(index=True)
    rating_avg: float | None = None
    rating_count: int = 0
    valid_from: date | None = None
    valid_to: date | None = None
    title_lc: str = Field(sa_column=Column(Text, nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    stems: str = Field(sa_column=Column(Text, nullable=False))
    indexed_at: datetime = Field(default_factory=utcnow)


class SearchFacet(SQLModel, table=True):
    """One facet value of a document: (offer, "municipality", "179"); the embedded engine's
    word starts ("prefix") and change stamps ("changed", search/memory_sync.py) are rows too."""

    __tablename__ = "search_facet"
    __table_args__ = (Index("ix_search_facet_name_value", "name", "value", "offer_id"),)

    offer_id: int = Field(primary_key=True)
    name: str = Field(primary_key=True, max_length=20)
    value: str = Field(primary_key=True, max_length=60)


class SearchTerm(SQLModel, table=True):
    """The vocabulary of indexed words, for typo tolerance (edit distance)."""

    __tablename__ = "search_term"

    term: str = Field(primary_key=True, max_length=100)
    length: int = Field(index=True)


class SearchOutbox(SQLModel, table=True):
    __tablename__ = "search_outbox"

    id: int | None = Field(default=None, primary_key=True)
    offer_id: int = Field(index=True)
    created_at: datetime = Field(default_factory=utcnow)


class SearchSynonym(Record, table=True):
    """A group of words an organiser's admin says mean the same service, in Finnish and
    Swedish; a query word of the group also searches the others (search/synonym_store.py).
    Kept beside the built-in groups of `data/synonyms.json`; `category_id` files it under a
    category of the organiser's taxonomy."""

    __tablename__ = "search_synonym"

    organiser_id: int = Field(foreign_key="organiser.id", index=True)
    category_id: int | None = Field(default=None, foreign_key="category.id")
    words_fi: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    words_sv: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    updated_by: int | None = Field(default=None, foreign_key="user.id")
