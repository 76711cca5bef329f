"""Ledger throughput: parallel delivery confirmations per second on SQLite and PostgreSQL.

Run: .venv/bin/python bench/ledger.py [--units 200] [--workers 8]
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
from tests.support import ledger_load, postgres


def measure(url: str, units: int, workers: int) -> tuple[float, int]:
    upgrade(url)
    engine = make_engine(url, pool_size=workers + 2)
    try:
        data = ledger_load.prepare(engine, units=units, frame_units=units - units // 5)
        outcome = ledger_load.run(engine, data, workers=workers)
    finally:
        engine.dispose()
    rate = outcome.accepted / outcome.seconds if outcome.seconds else 0.0
    for problem in outcome.problems:
        print(f"  discrepancy: {problem}")
    print(
        f"{url.split(':')[0]}: {outcome.accepted} confirmations in {outcome.seconds:.2f} s "
        f"({rate:.1f}/s), refused {outcome.refused}"
    )
    return rate, len(outcome.problems)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_rate, sqlite_bad = measure(f"sqlite:///{tmp}/bench.db", args.units, args.workers)
    pg_rate, pg_bad = 0.0, 0
    if postgres.available():
        cluster = postgres.start_cluster()
        try:
            admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text("CREATE DATABASE bench"))
            admin.dispose()
            pg_rate, pg_bad = measure(cluster.url("bench"), args.units, args.workers)
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
