"""The embedded engine's in-memory index follows the search tables: edits, deletes and
rolled-back writes seen through the version stamp, and facet counts equal to the tables'."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.services.search import FACETS, SearchQuery, Sort, memory_sync
from app.services.search.embedded import EmbeddedEngine
from tests.search.test_conformance import CORPUS, doc


def found(engine: EmbeddedEngine, q: str = "", **kw) -> list[int]:
    return [h.offer_id for h in engine.search(SearchQuery(q=q, per_page=50, **kw)).hits]


@pytest.fixture
def other_process(monkeypatch):
    """A second engine on the same database with its own copy of the index, as another web
    process would have (the copies are per process)."""

    def make(engine) -> EmbeddedEngine:
        monkeypatch.setattr(memory_sync, "_synced", {})
        return EmbeddedEngine(engine)

    return make


def test_an_edit_is_seen_by_another_process(engine, other_process):
    writer = EmbeddedEngine(engine)
    writer.index(CORPUS)
    reader = other_process(engine)
    assert 6 in found(reader, "ikkunanpesu")
    synced_before = memory_sync._synced[engine]
    writer.index([doc(6, "Nuohous", price_cents=12000)])
    assert 6 not in found(reader, "ikkunanpesu")
    assert found(reader, "nuohous") == [6]
    assert memory_sync._synced[engine] is synced_before  # a delta, not a rebuild


def test_a_delete_is_seen_by_another_process(engine, other_process):
    writer = EmbeddedEngine(engine)
    writer.index(CORPUS)
    reader = other_process(engine)
    before = reader.search(SearchQuery()).facets["category"]["2"]
    assert 7 in found(reader, "puheterapia")
    writer.delete([7])
    assert 7 not in found(reader, "puheterapia")
    assert 7 not in found(reader)
    assert reader.search(SearchQuery()).facets["category"]["2"] == before - 1


def test_a_rolled_back_write_leaves_no_trace(engine, other_process):
    EmbeddedEngine(engine).index(CORPUS)
    reader = other_process(engine)
    with engine.connect() as conn:
        transaction = conn.begin()
        inside = EmbeddedEngine(conn)
        inside.index([doc(11, "Nuohous")])
        assert found(inside, "nuohous") == [11]  # its own transaction sees it
        transaction.rollback()
    assert found(reader, "nuohous") == []
    assert 1 in found(reader, "kotisiivous")


def test_clear_then_index_forgets_the_old_documents(engine, other_process):
    writer = EmbeddedEngine(engine)
    writer.index(CORPUS)
    reader = other_process(engine)
    assert 1 in found(reader, "kotisiivous")
    writer.clear()
    writer.index([doc(20, "Nuohous")])
    assert found(reader, "kotisiivous") == []
    assert found(reader) == [20]


def test_price_order_holds_after_edits(engine):
    engine_ = EmbeddedEngine(engine)
    engine_.index([doc(i, f"Siivous {i}", price_cents=1000 * i) for i in range(1, 6)])
    engine_.search(SearchQuery(q="siivous"))
    engine_.index([doc(1, "Siivous 1", price_cents=9000), doc(6, "Siivous 6", price_cents=2500)])
    assert found(engine_, "siivous") == [2, 6, 3, 4, 5, 1]
    assert found(engine_, "siivous", sort=Sort.price_desc) == [1, 5, 4, 3, 6, 2]
    assert found(engine_, "siivous", price_min_cents=2500, price_max_cents=4000) == [6, 3, 4]


def _sql_counts(engine, offer_ids: list[int]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    if not offer_ids:
        return counts
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT name, value, COUNT(*) FROM search_facet WHERE offer_id IN "
                f"({', '.join(str(i) for i in offer_ids)}) GROUP BY name, value"
            )
        ).all()
    for name, value, count in rows:
        if name in FACETS:
            counts.setdefault(name, {})[value] = count
    return counts


@pytest.mark.parametrize("q", ["", "siivous", "terapia", "hemtjänsten", "xyzzy"])
def test_facet_counts_equal_the_tables(engine, q):
    engine_ = EmbeddedEngine(engine)
    engine_.index(CORPUS)
    result = engine_.search(SearchQuery(q=q, per_page=100))
    assert result.facets == _sql_counts(engine, [h.offer_id for h in result.hits])
    if q in ("", "terapia"):
        assert result.facets  # the comparison is not of two empty dicts


def test_a_filtered_facet_counts_as_if_its_own_filter_were_off(engine):
    engine_ = EmbeddedEngine(engine)
    engine_.index(CORPUS)
    unfiltered = engine_.search(SearchQuery(per_page=100))
    filtered = engine_.search(SearchQuery(municipality=["182"], delivery=["home"], per_page=100))
    home = engine_.search(SearchQuery(delivery=["home"], per_page=100))
    in_182 = engine_.search(SearchQuery(municipality=["182"], per_page=100))
    assert (
        filtered.facets["municipality"]
        == _sql_counts(engine, [h.offer_id for h in home.hits])["municipality"]
    )
    assert (
        filtered.facets["delivery"]
        == _sql_counts(engine, [h.offer_id for h in in_182.hits])["delivery"]
    )
    assert (
        filtered.facets["category"]
        == _sql_counts(engine, [h.offer_id for h in filtered.hits])["category"]
    )
    assert filtered.facets["municipality"] != unfiltered.facets["municipality"]
