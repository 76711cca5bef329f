"""The organiser's reports over a large synthetic cohort on PostgreSQL: the time of each and
the process's peak memory after it.

A throw-away PostgreSQL cluster gets the schema, the demo county and `--clients` synthetic
budget clients (the demo's own cohort generator, `app/demo/cohort.py`: bulk executemany
inserts in chunks, with assessments, goals, budgets, plans, deliveries, ratings, consents and
time use). Then, as the organiser's admin, each report the admin pages build: the indicator
report, the provider effects, goal attainment, costs, the arm comparison and the research
export (its rows). Figures only; nothing fails on a figure (target: each <= 2 s at 100 000).

Run: .venv/bin/python bench/reports.py [--clients 100000] [--chunk 5000] [--quick]
Last line: reports clients=<n> load_s=<x> reports_s=<slowest> peak_mb=<x>
"""

from __future__ import annotations

import sys
from pathlib import Path

_BENCH = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH]
sys.path.insert(0, str(_BENCH.parent))

import argparse
import cProfile
import os
import pstats
import resource
import time
from collections.abc import Callable

from sqlalchemy import create_engine, text
from sqlmodel import Session, select

os.environ.setdefault("HEBU_DEMO_COHORT_SIZE", "60")  # the demo's own cohort stays small

from app.db import make_engine
from app.demo.cohort import load_cohort
from app.demo.county import load_demo
from app.migrate import upgrade
from app.models.user import User
from app.services.identity.users import load_actor
from app.services.reports import costs, effects, goal_attainment, indicators
from app.services.reports import data as report_data
from app.services.research import arm_report, export
from tests.support import postgres


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load(url: str, clients: int, chunk: int) -> float:
    engine = make_engine(url)
    started = time.monotonic()
    with Session(engine, expire_on_commit=False) as session:
        load_demo(session)
        session.commit()
    added = 0
    while added < clients:
        with Session(engine, expire_on_commit=False) as session:
            step = load_cohort(session, min(chunk, clients - added))
            session.commit()
        if not step:
            raise RuntimeError("the demo county did not load")
        added += step
        print(f"  {added} clients ({time.monotonic() - started:.0f} s)", flush=True)
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    engine.dispose()
    return time.monotonic() - started


def _reports(session: Session, actor) -> dict[str, Callable[[], object]]:  # noqa: ANN001
    from datetime import date

    def indicator_report() -> object:
        snap = report_data.load(session, actor, "indicators", "html")
        baseline = indicators.default_baseline(snap, date.today())
        return indicators.build(
            session, actor, snap, indicators.periods_from(baseline, date.today())
        )

    def provider_effects() -> object:
        snap = report_data.load(session, actor, "provider_effects")
        return effects.by_provider(session, snap), effects.by_category(session, snap)

    def attainment() -> object:
        snap = report_data.load(session, actor, "goal_attainment")
        return goal_attainment.distribution(snap, "unit"), goal_attainment.distribution(
            snap, "group"
        )

    def cost_summary() -> object:
        snap = report_data.load(session, actor, "costs")
        today = date.today()
        return costs.summary(snap, date(today.year - 1, 1, 1), today)

    def arm_comparison() -> object:
        return arm_report.to_csv(arm_report.build(session, actor, "csv"))

    def research_export() -> object:
        header, body = export.rows(session, actor)
        return export.to_csv(header, body)

    return {
        "indicators": indicator_report,
        "provider_effects": provider_effects,
        "goal_attainment": attainment,
        "costs": cost_summary,
        "arm_comparison": arm_comparison,
        "research_export": research_export,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=5_000)
    parser.add_argument("--quick", action="store_true", help="2 000 clients")
    parser.add_argument("--profile", default="", help="a report to profile (cProfile top 20)")
    args = parser.parse_args()
    clients = 2_000 if args.quick else args.clients
    if not postgres.available():
        print("reports: PostgreSQL server binaries not found")
        return 1
    cluster = postgres.start_cluster()
    try:
        admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE bench_reports"))
        admin.dispose()
        url = cluster.url("bench_reports")
        upgrade(url)
        load_s = _load(url, clients, args.chunk)
        print(f"loaded the demo and {clients} synthetic clients in {load_s:.1f} s")
        engine = make_engine(url)
        timings: dict[str, float] = {}
        with Session(engine, expire_on_commit=False) as session:
            person = session.exec(select(User).where(User.dev_persona == "admin")).one()
            actor = load_actor(session, person.id)  # type: ignore[arg-type]
            for name, build in _reports(session, actor).items():
                started = time.monotonic()
                profiler = cProfile.Profile() if name == args.profile else None
                try:
                    if profiler:
                        profiler.runcall(build)
                        pstats.Stats(profiler).sort_stats("cumulative").print_stats(20)
                    else:
                        build()
                except Exception as exc:  # a figure, not a test: say what broke
                    print(f"  {name}: failed ({type(exc).__name__}: {exc})")
                    session.rollback()
                    continue
                timings[name] = time.monotonic() - started
                print(f"  {name}: {timings[name]:.2f} s (peak {peak_mb():.0f} MB)", flush=True)
                session.rollback()  # the report's own audit rows are not the point here
        engine.dispose()
    finally:
        cluster.stop()
    slowest = max(timings.values(), default=0.0)
    print(
        f"reports clients={clients} load_s={load_s:.1f} reports_s={slowest:.2f} "
        f"peak_mb={peak_mb():.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
