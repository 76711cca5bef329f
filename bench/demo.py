"""Demo data and synthetic cohort: how long `hebu demo` and `hebu demo cohort` take (SQLite).

Run: .venv/bin/python bench/demo.py [--size 300]
Last line: demo load_s=<x> reload_s=<x> cohort_per_s=<x>
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py would shadow the standard library's http: take bench/ off the path.
_BENCH = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH]
sys.path.insert(0, str(_BENCH.parent))

import argparse
import os
import tempfile
import time

from sqlmodel import Session

from app.db import make_engine
from app.migrate import upgrade


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=300, help="synthetic clients to add")
    args = parser.parse_args()
    os.environ.setdefault("HEBU_DEMO_COHORT_SIZE", "60")
    from app.demo.cohort import load_cohort
    from app.demo.county import load_demo

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        engine = make_engine(url)
        timings: dict[str, float] = {}
        for name, step in (
            ("load", load_demo),
            ("reload", load_demo),
            ("cohort", lambda s: load_cohort(s, args.size)),
        ):
            started = time.perf_counter()
            with Session(engine) as session:
                step(session)
                session.commit()
            timings[name] = time.perf_counter() - started
        engine.dispose()
    for name, seconds in timings.items():
        print(f"{name:>8}: {seconds:6.2f} s")
    per_s = args.size / timings["cohort"] if timings["cohort"] else 0.0
    print(
        f"demo load_s={timings['load']:.2f} reload_s={timings['reload']:.2f} "
        f"cohort_per_s={per_s:.0f}"
    )


if __name__ == "__main__":
    main()
