"""Search benchmark: N offers from N/5 providers in a fresh SQLite database.

The catalogue is realistic (bench/search_corpus.py: fi/sv service vocabulary with compounds,
inflections, provider and place names; many distinct words). Prints the vocabulary size, index
build time, the in-memory index's load time and memory, how soon an edit is searchable, p50/p95
server-side latency (and the thread's CPU time, which a busy machine does not inflate) of
the embedded engine per query class (single word,
inflected, compound, typo, multi-word, 1-3-letter prefix, facet-filtered with counts), the
process memory, recall@5 and MRR over the relevance suite (tests/search/catalogue_data.py), and
the catalogue page's requests/second next to a trivial route's on the same server. The last line
is `search offers=<n> p50_ms=<x> p95_ms=<x> qps=<x> page_ratio=<x> recall5=<x>`.

    .venv/bin/python bench/search.py --offers 50000
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py would shadow the standard library's http when a bench script runs directly:
# take bench/ off the path and put the project root on it instead.
_BENCH = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH]
sys.path.insert(0, str(_BENCH.parent))

import argparse
import cProfile
import pstats
import random
import resource
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.config import Environment, Settings
from app.db import make_engine
from app.demo.catalogue import business_id
from app.demo.county import load_area
from app.main import create_app
from app.migrate import upgrade
from app.models.offer import Offer, OfferArea, OfferStatus
from app.models.organiser import Category, Organiser
from app.models.provider import ApprovalStatus, Provider, ProviderApproval
from app.services import search
from app.services.search import SearchQuery, memory_sync, vocabulary
from app.services.search.embedded import EmbeddedEngine
from bench.search_corpus import QUERIES, offer_texts, provider_name
from tests.search.catalogue_data import catalogue
from tests.search.relevance import evaluate

AREAS = ["179", "182", "249", "410", "500", "729", "992"]


def queries() -> dict[str, list[SearchQuery]]:
    out = {
        name: [SearchQuery(q=q) for q in texts]
        for name, texts in QUERIES.items()
        if name != "facet-filtered"
    }
    out["facet-filtered"] = [
        SearchQuery(q=q, municipality=["179"], delivery=["home"]) for q in QUERIES["facet-filtered"]
    ]
    return out


def generate(db: Session, offers: int) -> None:
    rng = random.Random(10)
    load_area(db)
    organiser = db.exec(select(Organiser)).one()
    categories = {c.slug: c.id for c in db.exec(select(Category))}
    providers = max(1, offers // 5)
    number = 2000001
    provider_rows, approval_rows = [], []
    for index in range(providers):
        bid = business_id(number)
        number = int(bid[:7]) + 1
        name = provider_name(rng, index)
        provider_rows.append(Provider(id=index + 1, name=name, business_id=bid, languages=["fi"]))
        approval_rows.append(
            ProviderApproval(
                provider_id=index + 1, organiser_id=organiser.id, status=ApprovalStatus.approved
            )
        )
    db.add_all(provider_rows)
    db.flush()
    db.add_all(approval_rows)
    db.flush()
    category_ids = sorted(categories.values())
    for start in range(0, offers, 5000):
        batch, areas = [], []
        for offer_id in range(start + 1, min(offers, start + 5000) + 1):
            title, description, languages = offer_texts(rng)
            batch.append(
                Offer(
                    id=offer_id,
                    provider_id=rng.randint(1, providers),
                    category_id=rng.choice(category_ids),
                    title=title,
                    description=description,
                    unit="hour",
                    unit_price_cents=rng.randint(15, 150) * 100,
                    delivery_modes=rng.sample(["home", "provider", "remote"], 2),
                    languages=languages,
                    status=OfferStatus.published,
                )
            )
            for code in rng.sample(AREAS, 2):
                areas.append(OfferArea(offer_id=offer_id, municipality_code=code))
        db.add_all(batch)
        db.flush()
        db.add_all(areas)
        db.flush()
    db.commit()


def measure(engine: EmbeddedEngine, rounds: int) -> list[float]:
    timings: list[float] = []
    for _ in range(rounds):
        for group in queries().values():
            for query in group:
                started = time.perf_counter()
                engine.search(query)
                timings.append((time.perf_counter() - started) * 1000)
    return timings


def rss_now() -> float:
    """Resident memory now, MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def edit_visible(db: Engine, engine: EmbeddedEngine) -> float:
    """Milliseconds from committing an offer's new title (the outbox indexes it after the
    commit) until a search finds it."""
    word = "zz" + "".join(random.choice("bdfghjklmnprstv") for _ in range(8)) + "hoito"
    started = time.perf_counter()
    with Session(db, expire_on_commit=False) as session:
        offer = session.get(Offer, 1)
        assert offer is not None
        offer.title = {"fi": word}
        session.add(offer)
        search.enqueue(session, [1])
        session.commit()
    while not engine.search(SearchQuery(q=word)).total:
        time.sleep(0.001)
    return (time.perf_counter() - started) * 1000


def profile(engine: EmbeddedEngine, name: str) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(3):
        for query in queries()[name]:
            engine.search(query)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def relevance(tmp: Path) -> str:
    url = f"sqlite:///{tmp / 'relevance.db'}"
    upgrade(url)
    engine = EmbeddedEngine(make_engine(url))
    engine.index(catalogue())
    report = evaluate(engine)
    print("\n".join(report.lines()))
    return f"{report.recall:.3f}"


def rps(client: httpx.Client, url: str, seconds: float) -> float:
    count = 0
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    while time.perf_counter() < deadline:
        client.get(url).raise_for_status()
        count += 1
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--offers", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--profile", metavar="CLASS", help="cProfile one query class")
    parser.add_argument("--reuse", type=Path, help="bench.db of an earlier run (same --offers)")
    args = parser.parse_args()
    if args.reuse:  # an earlier run's catalogue, generated and indexed already
        tmp = args.reuse.parent
        db = make_engine(f"sqlite:///{args.reuse}")
    else:
        tmp = Path(tempfile.mkdtemp(prefix="hebu-bench-"))
        upgrade(f"sqlite:///{tmp / 'bench.db'}")
        db = make_engine(f"sqlite:///{tmp / 'bench.db'}")
        started = time.perf_counter()
        with Session(db, expire_on_commit=False) as session:
            generate(session, args.offers)
        print(f"generated {args.offers} offers in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        indexed = search.reindex(db)
        print(f"indexed {indexed} offers in {time.perf_counter() - started:.1f} s")
    url = str(db.url)
    with db.connect() as conn:
        terms = conn.exec_driver_sql("SELECT COUNT(*) FROM search_term").scalar_one()
    size = Path(str(db.url.database)).stat().st_size / 1e6
    print(f"distinct indexed words {terms}, database file {size:.0f} MB")
    engine = EmbeddedEngine(db)
    memory_sync._synced.clear()  # as a freshly started process: nothing loaded yet
    vocabulary._cache.clear()
    rss_before = rss_now()
    started = time.perf_counter()
    memory_sync.warm(db).wait()  # what the app's start does in the background
    loaded = time.perf_counter() - started
    engine.search(SearchQuery(q="siivous"))
    print(
        f"in-memory index load at {args.offers} offers (postings; vocabulary keys and typo "
        f"index follow in the background) {loaded:.2f} s, first query after it "
        f"{time.perf_counter() - started - loaded:.2f} s, +{rss_now() - rss_before:.0f} MB"
    )
    started = time.perf_counter()
    engine.search(SearchQuery(q="kuntotus"))  # waits for the typo deletion index if unfinished
    print(f"first typo query (typo deletion index) {time.perf_counter() - started:.2f} s")
    measure(engine, 1)  # warm up
    print(f"an offer edit searchable after {edit_visible(db, engine):.0f} ms")
    if args.profile:
        profile(engine, args.profile)
    for name, group in queries().items():
        times, cpu, hits = [], [], 0
        for _ in range(args.rounds):
            for query in group:
                t0, c0 = time.perf_counter(), time.thread_time()
                hits = engine.search(query).total
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.thread_time() - c0) * 1000)
        print(
            f"{name:15} hits(last)={hits:6d} p50={statistics.median(times):6.2f} ms "
            f"p95={p95(times):6.2f} ms (CPU of the query's thread: p95={p95(cpu):6.2f} ms)"
        )
    started = time.perf_counter()
    timings = measure(engine, max(1, args.rounds // 5))
    elapsed = time.perf_counter() - started
    p50_all, p95_all = statistics.median(timings), p95(timings)
    qps = len(timings) / elapsed
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process memory (max RSS) {rss:.0f} MB")
    recall = relevance(tmp)

    settings = Settings(
        environment=Environment.test, database_url=url, dev_login=False, log_level="WARNING"
    )
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, db), host="127.0.0.1", port=0, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        trivial = rps(client, "/healthz", args.seconds)
        page = rps(client, "/palvelut?q=siivous", args.seconds)
    server.should_exit = True
    thread.join(timeout=10)
    print(f"requests/s: /healthz {trivial:.0f}, /palvelut?q=siivous {page:.0f}")
    print(
        f"search offers={args.offers} p50_ms={p50_all:.2f} p95_ms={p95_all:.2f} qps={qps:.0f} "
        f"page_ratio={page / trivial:.2f} recall5={recall}"
    )


if __name__ == "__main__":
    main()
