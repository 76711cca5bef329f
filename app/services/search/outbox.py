"""The transactional outbox: offer changes are queued in the same transaction and sent to the
search engine after commit. A failed engine leaves the rows for the next run (or a reindex)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import delete, event
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.models.search import SearchOutbox
from app.services.search import registry
from app.services.search.base import SearchUnavailable
from app.services.search.documents import all_offer_ids, build_documents, provider_offer_ids

log = logging.getLogger(__name__)
PENDING_KEY = "hebu_search_pending"
SYNONYMS_KEY = "hebu_search_synonyms"
BATCH = 500


def enqueue(session: Session, offer_ids: list[int]) -> None:
    """Queue offers for (re)indexing in the caller's transaction."""
    for offer_id in sorted(set(offer_ids)):
        session.add(SearchOutbox(offer_id=offer_id))
    if offer_ids:
        session.info[PENDING_KEY] = True


def enqueue_provider(session: Session, provider_id: int) -> None:
    session.flush()
    enqueue(session, provider_offer_ids(session, provider_id))


def process_outbox(db: Engine) -> int:
    """Send queued changes to the engine; returns how many offers were processed."""
    engine = registry.engine_for(db)
    processed = 0
    while True:
        # Read, then write with no transaction open: SQLite allows one writer at a time.
        with Session(db, expire_on_commit=False) as session:
            rows = session.exec(
                select(SearchOutbox).order_by(col(SearchOutbox.id)).limit(BATCH)
            ).all()
            if not rows:
                return processed
            ids = sorted({r.offer_id for r in rows})
            last = max(r.id for r in rows if r.id is not None)
            docs, gone = build_documents(session, ids)
            session.rollback()
        try:
            engine.index(docs)
            engine.delete(gone)
        except SearchUnavailable:
            log.warning("search engine unavailable; %d outbox rows kept", len(rows))
            return processed
        with Session(db, expire_on_commit=False) as session:
            session.execute(
                delete(SearchOutbox).where(
                    col(SearchOutbox.id) <= last, col(SearchOutbox.offer_id).in_(ids)
                )
            )
            session.commit()
        processed += len(ids)


def reindex(db: Engine) -> int:
    """Rebuild the whole index from the database."""
    engine = registry.engine_for(db)
    engine.clear()
    with Session(db, expire_on_commit=False) as session:
        ids = all_offer_ids(session)
        session.execute(delete(SearchOutbox))
        session.commit()
    count = 0
    for start in range(0, len(ids), BATCH):
        with Session(db, expire_on_commit=False) as session:
            docs, _gone = build_documents(session, ids[start : start + BATCH])
        engine.index(docs)
        count += len(docs)
    return count


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint was released; the real commit is later
        return
    pending = session.info.pop(PENDING_KEY, False)
    synonyms = session.info.pop(SYNONYMS_KEY, False)
    if not (pending or synonyms):
        return
    bind: Any = session.get_bind()
    db = bind.engine if hasattr(bind, "engine") else bind
    try:
        if synonyms:
            registry.engine_for(db).sync_synonyms()
        if pending:
            process_outbox(db)
    except Exception:  # the outbox keeps the rows; never fail the user's request
        log.exception("processing the search outbox failed")


def synonyms_changed(session: Session) -> None:
    """The stored synonym groups changed in this transaction: send them after commit."""
    session.info[SYNONYMS_KEY] = True
