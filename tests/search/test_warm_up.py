"""A fresh process loads the in-memory index in the background: a search that arrives before
it is ready gets the plain database answer after a bounded wait, later ones the index's; the
app's start begins the load; an index goes away with its engine."""

from __future__ import annotations

import gc
import threading
import time
import weakref

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.db import make_engine
from app.main import create_app
from app.services.catalogue import browse
from app.services.search import SearchQuery, memory_sync, plain, vocabulary
from app.services.search.embedded import EmbeddedEngine
from tests.search.test_conformance import CORPUS


@pytest.fixture
def slow_load(monkeypatch):
    """The index load blocks until the returned event is set (a large catalogue)."""
    release = threading.Event()
    build = memory_sync._build

    def held(conn, version):  # noqa: ANN001, ANN202
        release.wait(30)
        return build(conn, version)

    monkeypatch.setattr(memory_sync, "_build", held)
    monkeypatch.setattr(memory_sync, "WAIT_SECONDS", 0.05)
    yield release
    release.set()


def wait_loaded(engine, seconds: float = 10.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while not memory_sync.loaded(engine) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert memory_sync.loaded(engine)


def test_a_search_during_the_load_is_answered_from_the_database(engine, demo, slow_load):
    query = SearchQuery(q="siivous")
    with Session(engine) as session:
        started = time.monotonic()
        during = browse.search(session, query)
        assert time.monotonic() - started < 5  # bounded: no wait for the whole load
    assert during.degraded
    assert during.total > 0
    assert not memory_sync.loaded(engine)
    slow_load.set()
    wait_loaded(engine)
    with Session(engine) as session:
        after = browse.search(session, SearchQuery(q="siivous"))
    assert not after.degraded
    assert after.total > 0


def test_the_app_start_begins_loading_the_index(settings, engine, demo):
    settings.search_warm_up = True
    app = create_app(settings, engine)
    assert not memory_sync.loaded(engine)
    with TestClient(app, base_url="http://testserver") as client:
        wait_loaded(engine)  # without any request
        page = client.get("/palvelut?q=siivous")
    assert page.status_code == 200


def test_the_pages_search_waits_for_a_loading_index_only_briefly(client, engine, demo, slow_load):
    simpler = "Haku toimii nyt yksinkertaisemmin"
    page = client.get("/palvelut?q=siivous")
    assert page.status_code == 200
    assert simpler in page.text
    assert not memory_sync.loaded(engine)
    slow_load.set()
    wait_loaded(engine)
    assert simpler not in client.get("/palvelut?q=siivous").text


def test_an_index_goes_away_with_its_engine(db_url, engine):
    EmbeddedEngine(engine).index(CORPUS)
    gc.collect()
    held = len(memory_sync._synced)
    other = make_engine(db_url)
    assert EmbeddedEngine(other).search(SearchQuery(q="siivous")).total > 0
    assert len(memory_sync._synced) == held + 1
    index = weakref.ref(memory_sync._synced[other].index)
    other.dispose()
    del other
    gc.collect()
    assert index() is None
    assert len(memory_sync._synced) == held


def test_the_vocabulary_knows_stored_keys_until_its_own_are_computed(monkeypatch):
    monkeypatch.setattr(vocabulary, "KEY_NOW", 1)
    vocab = vocabulary.Vocabulary()
    vocab.add(["siivouksia", "ikkunanpesu"])  # too many to key at once: deferred
    assert not vocab.keyed
    assert not vocab.knows("siivoukseen")
    vocab.provisional = {"siivous"}  # the keys stored with the documents
    assert vocab.knows("siivoukseen")
    vocab.provisional = frozenset()
    vocab.prepare()
    assert vocab.keyed
    assert vocab.knows("siivoukseen")  # now from its own keys
    vocab.add(["pesula"])
    assert vocab.keyed  # a few new words are keyed at once


def test_the_plain_answer_filters_and_pages_like_the_index(engine):
    EmbeddedEngine(engine).index(CORPUS)
    with engine.connect() as conn:
        siivous = plain.answer(conn, SearchQuery(q="siivous", per_page=50))
        category = plain.answer(conn, SearchQuery(category=[2], per_page=50))
        page = plain.answer(conn, SearchQuery(per_page=2, page=2))
        everything = plain.answer(conn, SearchQuery(per_page=50))
    assert siivous.degraded
    assert 1 in {h.offer_id for h in siivous.hits}
    assert all("siivous" in " ".join(h.title.values()).lower() for h in siivous.hits)
    assert category.total > 0 and {h.category_id for h in category.hits} == {2}
    prices = [h.price_cents for h in everything.hits]
    assert prices == sorted(prices)
    assert everything.total == EmbeddedEngine(engine).search(SearchQuery()).total  # valid today
    assert [h.offer_id for h in page.hits] == [h.offer_id for h in everything.hits[2:4]]
