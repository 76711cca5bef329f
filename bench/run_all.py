"""`make bench`: every benchmark, one summary table, one machine-readable last line.

Page weight (Chromium), Lighthouse (mobile), page throughput (bench/http.py) run against one
throw-away server with the demo data; the search engine (bench/search.py, a smaller catalogue
than its default) and the ledger (bench/ledger.py) run as their own scripts. Benchmarks print
figures; they are not tests and never fail on a figure (targets: README, "Quality budget").

    .venv/bin/python bench/run_all.py [--skip lighthouse,search,ledger,demo,reports]
        [--seconds 4] [--report-clients 5000]

Last line:
`bench first_load_kb=<max over pages> htmx_kb=<max> lighthouse_perf=<min> lighthouse_a11y=<min>
page_ratio=<min> reports_s=<slowest report, bench/reports.py>`
"""

from __future__ import annotations

import sys
from pathlib import Path

_BENCH = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH]
sys.path.insert(0, str(_BENCH.parent))

import argparse
import subprocess
import time

from bench import http, lighthouse, weight
from bench.server import bench_server

TARGETS = {
    "first_load_kb": ("<=", 50.0),
    "htmx_kb": ("<=", 10.0),
    "lighthouse_perf": (">=", 100),
    "lighthouse_a11y": (">=", 100),
    "page_ratio": (">=", 0.5),
}


def _script(name: str, *args: str, timeout: int = 300) -> str:
    """Run another bench script; its last line is its summary."""
    result = subprocess.run(
        [sys.executable, str(_BENCH / name), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    if result.returncode != 0 or not lines:
        return f"{name} failed: {result.stderr.strip().splitlines()[-1:]}"
    return lines[-1]


def _verdict(key: str, value: float | str) -> str:
    if isinstance(value, str):
        return "not run"
    op, target = TARGETS[key]
    ok = value <= target if op == "<=" else value >= target
    return "ok" if ok else "over budget" if op == "<=" else "below target"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip", default="", help="lighthouse,search,ledger,demo,reports")
    parser.add_argument("--seconds", type=float, default=4.0, help="per route in bench/http.py")
    parser.add_argument(
        "--report-clients", type=int, default=5000, help="synthetic clients for bench/reports.py"
    )
    args = parser.parse_args()
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    started = time.perf_counter()
    figures: dict[str, float | str] = {}
    with bench_server() as server:
        print(f"== page weight (Chromium, cold cache, compressed) – {server.url}")
        first_loads, interactions = weight.measure(server)
        weight.print_table(first_loads, interactions)
        figures["first_load_kb"] = round(max(w.total_kb for w in first_loads), 1)
        figures["htmx_kb"] = round(max(w.total_kb for w in interactions), 1)

        print("\n== Lighthouse (mobile preset)")
        problem = lighthouse.available() or ("skipped" if "lighthouse" in skip else None)
        if problem:
            print(problem)
            figures["lighthouse_perf"] = figures["lighthouse_a11y"] = "n/a"
        else:
            scores = lighthouse.measure(server)
            lighthouse.print_table(scores)
            if scores:
                figures["lighthouse_perf"] = min(s.performance for s in scores)
                figures["lighthouse_a11y"] = min(s.accessibility for s in scores)
            else:
                figures["lighthouse_perf"] = figures["lighthouse_a11y"] = "n/a"
            if len(scores) < 5:
                print(f"({5 - len(scores)} of 5 pages could not be measured)")

        print(f"\n== page throughput ({args.seconds:g} s per route, 8 in flight)")
        routes = http.measure(server, seconds=args.seconds)
        http.print_table(routes)
        figures["page_ratio"] = round(min(r.ratio for r in routes[1:]), 2)

    extra: list[str] = []
    if "search" not in skip:
        print("\n== search engine (5 000 offers)")
        extra.append(_script("search.py", "--offers", "5000", "--rounds", "10", "--seconds", "2"))
        print(extra[-1])
    if "ledger" not in skip:
        print("\n== ledger")
        # A settlement run over 100 000 deliveries (ledger.py alone) takes far longer than
        # the rest together today: the suite settles 5 000.
        extra.append(
            _script("ledger.py", "--units", "100", "--workers", "4", "--deliveries", "5000")
        )
        print(extra[-1])
    if "demo" not in skip:
        print("\n== demo data and synthetic cohort")
        extra.append(_script("demo.py", "--size", "300"))
        print(extra[-1])

    reports_s = "n/a"
    if "reports" not in skip:
        print(f"\n== reports ({args.report_clients} synthetic clients, PostgreSQL)")
        clients = str(args.report_clients)
        extra.append(_script("reports.py", "--clients", clients, timeout=3600))
        print(extra[-1])
        reports_s = extra[-1].partition("reports_s=")[2].split(" ")[0] or "n/a"

    print(f"\n== summary ({time.perf_counter() - started:.0f} s)")
    print(f"{'figure':18} {'value':>8} {'target':>8}  verdict")
    for key, value in figures.items():
        op, target = TARGETS[key]
        print(f"{key:18} {value!s:>8} {op + ' ' + str(target):>8}  {_verdict(key, value)}")
    for line in extra:
        print(line)
    print(
        f"bench first_load_kb={figures['first_load_kb']} htmx_kb={figures['htmx_kb']} "
        f"lighthouse_perf={figures['lighthouse_perf']} "
        f"lighthouse_a11y={figures['lighthouse_a11y']} page_ratio={figures['page_ratio']}"
        f" reports_s={reports_s}"
    )


if __name__ == "__main__":
    main()
