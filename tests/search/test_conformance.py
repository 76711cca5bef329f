"""One conformance suite for every search engine.

Runs against the embedded engine always (SQLite and PostgreSQL) and against Meilisearch when
HEBU_MEILI_URL is set (e.g. `docker run -p 7700:7700 getmeili/meilisearch` elsewhere, then
`HEBU_MEILI_URL=http://127.0.0.1:7700 pytest tests/search`).
"""

from __future__ import annotations

from datetime import date

import pytest

from app.services.search import SearchDoc, SearchQuery, Sort
from tests.search.relevance import engine_under_test


def doc(offer_id: int, fi: str = "", sv: str = "", **kw) -> SearchDoc:
    title = {k: v for k, v in (("fi", fi), ("sv", sv)) if v}
    values = {
        "provider_id": 1,
        "provider_name": "Testi Oy",
        "category_id": 1,
        "category_names": {},
        "organiser_ids": [1],
        "description": {},
        "unit": "hour",
        "price_cents": 5000,
        "municipalities": ["179"],
        "languages": ["fi"],
        "delivery_modes": ["home"],
    }
    values.update(kw)
    return SearchDoc(offer_id=offer_id, title=title, **values)


CORPUS = [
    doc(1, "Kotisiivous", "Hemstädning", price_cents=3500, languages=["fi", "sv"]),
    doc(2, "Fysioterapiaa kotona", price_cents=8000, category_id=2, delivery_modes=["home"]),
    doc(
        3,
        "Omaishoitaja saa vapaata",
        "Avlösning för närståendevården",
        category_id=3,
        languages=["fi", "sv"],
        municipalities=["179", "182"],
    ),
    doc(
        4,
        "Työtoiminta",
        price_cents=1500,
        category_id=4,
        municipalities=["182"],
        delivery_modes=["provider"],
    ),
    doc(5, "Tyo-ohjelma", price_cents=1600, category_id=4),
    doc(6, "Ikkunanpesu", description={"fi": "<b>Pesemme</b> ikkunat keväällä"}, price_cents=12000),
    doc(
        7,
        "Puheterapia etänä",
        "Talterapi på distans",
        category_id=2,
        delivery_modes=["remote"],
        languages=["fi", "sv"],
        price_cents=9000,
    ),
    doc(8, "Kuljetuspalvelu", valid_to=date(2020, 1, 1)),
    doc(
        9,
        "Hemtjänsten för äldre",
        sv="Hemtjänsten för äldre",
        languages=["sv"],
        organiser_ids=[2],
        municipalities=["091"],
    ),
    doc(10, "Säätiön kerho", price_cents=500, category_id=5),
]
TODAY = date(2026, 11, 22)


@pytest.fixture(params=["embedded", "meilisearch"])
def search_engine(request, engine):
    eng = engine_under_test(request.param, engine)
    eng.index(CORPUS)
    return eng


def ids(engine, q: str = "", **kw) -> list[int]:
    kw.setdefault("today", TODAY)
    result = engine.search(SearchQuery(q=q, per_page=50, **kw))
    return [h.offer_id for h in result.hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("siivous", 1),  # part of a compound
        ("kotisiivous", 1),
        ("KOTISIIVOUS", 1),  # case
        ("fysioterapia", 2),  # inflected form in the text
        ("fysoterapia", 2),  # one-letter typo
        ("fysioterapai", 2),  # transposition
        ("omaishoitajan", 3),  # inflected query, base form in the text
        ("närståendevård", 3),  # Swedish definite form in the text
        ("närståendevårdens", 3),  # Swedish genitive query
        ("hemstädning", 1),
        ("städning", 1),  # Swedish compound part
        ("ikkunat", 6),  # description text
        ("testi", 1),  # provider name
        ("puheterapia etänä", 7),  # two words
        ("talterapi", 7),
    ],
)
def test_finds(search_engine, query, expected):
    assert expected in ids(search_engine, query)


@pytest.mark.parametrize(
    ("query", "absent"),
    [
        ("tyo", 4),  # ä/ö are not folded: "tyo" does not find "Työtoiminta"
        ("saatio", 10),
        ("siivous", 2),
        ("puheterapia kotisiivous", 7),  # all words must match
        ("xyzzyqq", 1),
    ],
)
def test_does_not_find(search_engine, query, absent):
    if query in ("tyo", "saatio"):
        meili_folds(search_engine)
    assert absent not in ids(search_engine, query)


def meili_folds(search_engine) -> None:
    """Meilisearch folds ä/ö/å to a/o (its normaliser, not a setting): a stated limit."""
    if search_engine.name == "meilisearch":
        pytest.xfail("Meilisearch folds ä/ö: 'tyo' finds 'työ' there")


def test_umlauts_are_distinct(search_engine):
    meili_folds(search_engine)
    assert ids(search_engine, "työ") == [4]
    assert 10 in ids(search_engine, "säätiö")


def test_html_is_not_indexed(search_engine):
    assert ids(search_engine, "pesemme") == [6]
    assert 6 not in ids(search_engine, "b")


def test_expired_offer_is_not_found(search_engine):
    assert 8 not in ids(search_engine, "kuljetuspalvelu")
    assert 8 in ids(search_engine, "kuljetuspalvelu", today=date(2019, 6, 1))


def test_empty_query_lists_everything_valid(search_engine):
    found = ids(search_engine)
    assert sorted(found) == [1, 2, 3, 4, 5, 6, 7, 9, 10]


def test_filters(search_engine):
    assert sorted(ids(search_engine, category=[4])) == [4, 5]
    assert sorted(ids(search_engine, municipality=["182"])) == [3, 4]
    assert sorted(ids(search_engine, delivery=["remote"])) == [7]
    assert sorted(ids(search_engine, language=["sv"])) == [1, 3, 7, 9]
    assert sorted(ids(search_engine, organiser_id=2)) == [9]
    assert sorted(ids(search_engine, price_min_cents=1500, price_max_cents=3500)) == [1, 4, 5]
    assert ids(search_engine, "terapia", delivery=["remote"]) == [7]
    assert ids(search_engine, min_rating=3) == []


def test_facet_counts(search_engine):
    result = search_engine.search(SearchQuery(today=TODAY, per_page=5))
    assert result.total == 9
    assert len(result.hits) == 5
    assert result.facets["category"] == {"1": 3, "2": 2, "3": 1, "4": 2, "5": 1}
    assert result.facets["municipality"]["182"] == 2
    assert result.facets["municipality"]["179"] == 7
    assert result.facets["delivery"] == {"home": 7, "provider": 1, "remote": 1}
    assert result.facets["price"] == {"0-2000": 3, "2000-5000": 1, "5000-10000": 4, "10000-": 1}
    assert "organiser" not in result.facets
    filtered = search_engine.search(SearchQuery(q="terapia", today=TODAY))
    assert filtered.facets["category"] == {"2": 2}
    assert filtered.total == 2


def test_a_ticked_facet_counts_as_if_its_own_filter_were_off(search_engine):
    if search_engine.name == "meilisearch":
        pytest.xfail("the Meilisearch adapter counts facets over the filtered set (one search)")
    result = search_engine.search(SearchQuery(municipality=["182"], today=TODAY))
    assert sorted(h.offer_id for h in result.hits) == [3, 4]
    assert result.facets["municipality"]["179"] == 7  # ticking it too would add these
    assert result.facets["municipality"]["182"] == 2
    assert result.facets["category"] == {"3": 1, "4": 1}  # other facets: the filtered set
    both = search_engine.search(SearchQuery(q="terapia", delivery=["remote"], today=TODAY))
    assert both.facets["delivery"] == {"home": 1, "remote": 1}


def test_sorting_and_pagination(search_engine):
    cheap = ids(search_engine, sort=Sort.price_asc)
    assert cheap[:3] == [10, 4, 5]
    dear = ids(search_engine, sort=Sort.price_desc)
    assert dear[0] == 6
    page2 = search_engine.search(SearchQuery(sort=Sort.price_asc, page=2, per_page=3, today=TODAY))
    assert [h.offer_id for h in page2.hits] == cheap[3:6]
    assert page2.pages == 3


def test_relevance_prefers_exact_title(search_engine):
    search_engine.index([doc(11, "Kotiapu", description={"fi": "Apu kotisiivoukseen ja muuhun"})])
    found = ids(search_engine, "kotisiivous")
    assert found[0] == 1


def test_reindex_and_delete(search_engine):
    search_engine.index([doc(1, "Ikkunoiden pesu")])
    assert 1 not in ids(search_engine, "kotisiivous")
    assert 1 in ids(search_engine, "ikkunoiden")
    search_engine.delete([1, 2])
    assert ids(search_engine, "fysioterapia") == []
    assert search_engine.health()


def test_hit_fields(search_engine):
    hit = search_engine.search(SearchQuery(q="kotisiivous", today=TODAY)).hits[0]
    assert hit.offer_id == 1
    assert hit.title == {"fi": "Kotisiivous", "sv": "Hemstädning"}
    assert hit.price_cents == 3500
    assert hit.unit == "hour"
    assert hit.provider_name == "Testi Oy"
    assert hit.rating_avg is None
