"""Relevance over the bilingual test catalogue: recall@5 must not fall below the floor."""

from __future__ import annotations

import pytest

from tests.search.catalogue_data import CASES, catalogue
from tests.search.relevance import engine_under_test, evaluate, score

RECALL_FLOOR = 0.95
MRR_FLOOR = 0.90


@pytest.fixture(params=["embedded", "meilisearch"])
def indexed(request, engine):
    eng = engine_under_test(request.param, engine)
    eng.index(catalogue())
    return eng


def test_the_suite_is_large_and_covers_every_class():
    kinds = {c.kind for c in CASES}
    assert len(CASES) >= 150
    assert {"inflected", "compound", "swedish", "synonym", "place-language", "typo"} <= kinds
    assert any(not c.want for c in CASES)


def test_score_counts_the_top_five_only():
    case = CASES[0]
    assert score(case, list(case.want)) == (1.0, 1.0)
    assert score(case, [99, 98, 97, 96, 95, *case.want])[0] == 0.0


def test_recall_at_five(indexed, capsys):
    report = evaluate(indexed)
    with capsys.disabled():
        print("\n" + "\n".join(report.lines()))
        for case, found in report.failures:
            print(f"  miss [{case.kind}] {case.q!r} want {case.want} got {found}")
    assert report.recall >= RECALL_FLOOR
    assert report.mrr >= MRR_FLOOR
