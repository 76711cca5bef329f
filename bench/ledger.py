"""Ledger throughput on SQLite and PostgreSQL: parallel delivery confirmations per second;
disputes (the client disputes, the provider withdraws or contests, the case worker decides)
and reversals (correcting entries) per second; a settlement run over 100 000 confirmed
deliveries (set up with bulk inserts), its time.

Run: .venv/bin/python bench/ledger.py [--units 200] [--workers 8] [--disputes 100]
     [--deliveries 100000]
Last line: ledger sqlite_per_s=<x> postgres_per_s=<x> discrepancies=<n>
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
import tempfile

from sqlalchemy import create_engine, text

from app.db import make_engine
from app.migrate import upgrade
from bench import ledger_more
from tests.support import ledger_load, postgres


def measure(url: str, args: argparse.Namespace) -> tuple[float, int]:
    units, workers = args.units, args.workers
    upgrade(url)
    engine = make_engine(url, pool_size=workers + 2)
    try:
        data = ledger_load.prepare(engine, units=units, frame_units=units - units // 5)
        outcome = ledger_load.run(engine, data, workers=workers)
        name = url.split(":")[0]
        bad = ledger_more.disputes_and_reversals(engine, name, args.disputes)
        bad += ledger_more.settlement_run(engine, name, args.deliveries)
    finally:
        engine.dispose()
    rate = outcome.accepted / outcome.seconds if outcome.seconds else 0.0
    for problem in outcome.problems:
        print(f"  discrepancy: {problem}")
    print(
        f"{url.split(':')[0]}: {outcome.accepted} confirmations in {outcome.seconds:.2f} s "
        f"({rate:.1f}/s), refused {outcome.refused}"
    )
    return rate, len(outcome.problems) + bad


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--disputes", type=int, default=100)
    parser.add_argument("--deliveries", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_rate, sqlite_bad = measure(f"sqlite:///{tmp}/bench.db", args)
    pg_rate, pg_bad = 0.0, 0
    if postgres.available():
        cluster = postgres.start_cluster()
        try:
            admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text("CREATE DATABASE bench"))
            admin.dispose()
            pg_rate, pg_bad = measure(cluster.url("bench"), args)
        finally:
            cluster.stop()
    else:
        print("postgres: server binaries not found, skipped")
    print(
        f"ledger sqlite_per_s={sqlite_rate:.1f} postgres_per_s={pg_rate:.1f} "
        f"discrepancies={sqlite_bad + pg_bad}"
    )
    return 1 if sqlite_bad + pg_bad else 0


if __name__ == "__main__":
    sys.exit(main())
