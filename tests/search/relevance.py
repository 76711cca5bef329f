"""recall@5 and MRR over the bilingual test catalogue (used by the test and the bench), and the
engines under test."""

from __future__ import annotations

import os
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import pytest
from sqlalchemy.engine import Engine

from app.services.search import SearchEngine, SearchQuery
from app.services.search.embedded import EmbeddedEngine
from tests.search.catalogue_data import CASES, Case

TOP = 5
MEILI_URL = os.environ.get("HEBU_MEILI_URL")


def engine_under_test(kind: str, db: Engine) -> SearchEngine:
    """The embedded engine on `db`, or a fresh Meilisearch index (skipped without a server)."""
    if kind != "meilisearch":
        return EmbeddedEngine(db)
    if not MEILI_URL:
        pytest.skip("HEBU_MEILI_URL is not set: no Meilisearch server to test against")
    from app.services.search.meili import MeiliEngine

    return MeiliEngine(MEILI_URL, os.environ.get("HEBU_MEILI_KEY"), f"t{uuid.uuid4().hex[:8]}")


@dataclass
class Report:
    recall: float
    mrr: float
    by_kind: dict[str, float]
    failures: list[tuple[Case, list[int]]] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"relevance cases={len(CASES)} recall@5={self.recall:.3f} mrr={self.mrr:.3f}"]
        out += [f"  {kind:15} recall@5={value:.3f}" for kind, value in self.by_kind.items()]
        return out


def score(case: Case, found: list[int]) -> tuple[float, float]:
    """(recall@5, reciprocal rank) of one case; a must-find-nothing case scores 1 or 0."""
    if not case.want:
        return (1.0, 1.0) if not found else (0.0, 0.0)
    top = found[:TOP]
    recall = len(set(top) & set(case.want)) / min(TOP, len(case.want))
    rank = next((i for i, offer in enumerate(found, 1) if offer in case.want), None)
    return recall, (1.0 / rank if rank else 0.0)


def evaluate(engine: SearchEngine, today: date | None = None) -> Report:
    recalls: dict[str, list[float]] = defaultdict(list)
    total_recall = total_rr = 0.0
    failures = []
    for case in CASES:
        result = engine.search(SearchQuery(q=case.q, per_page=20, today=today))
        found = [h.offer_id for h in result.hits]
        recall, rr = score(case, found)
        recalls[case.kind].append(recall)
        total_recall += recall
        total_rr += rr
        if recall < 1:
            failures.append((case, found[:TOP]))
    return Report(
        recall=total_recall / len(CASES),
        mrr=total_rr / len(CASES),
        by_kind={k: sum(v) / len(v) for k, v in recalls.items()},
        failures=failures,
    )
