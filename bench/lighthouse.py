"""Lighthouse (npm `lighthouse`, mobile preset: phone form factor, simulated slow 4G and CPU
slowdown) driving Debian Chromium (CHROME_PATH=/usr/bin/chromium) on the landing page, the
catalogue, an offer page, the client's plan and balance. Prints the performance and
accessibility scores (target 100 and 100) and the audits that cost points.

    .venv/bin/python bench/lighthouse.py

Last line: `lighthouse perf_min=<x> a11y_min=<x>`
"""

from __future__ import annotations

import sys
from pathlib import Path

_BENCH = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH]
sys.path.insert(0, str(_BENCH.parent))

import json
import os
import subprocess
from dataclasses import dataclass, field

from bench.server import BenchServer, bench_server

ROOT = _BENCH.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("HEBU_CHROMIUM", "/usr/bin/chromium")


@dataclass
class Scores:
    name: str
    performance: int
    accessibility: int
    losses: list[str] = field(default_factory=list)  # audits that cost points


def available() -> str | None:
    """Why Lighthouse cannot run, or None when it can."""
    if not LIGHTHOUSE.exists():
        return "lighthouse not installed (make node-deps)"
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM}"
    return None


def run_one(server: BenchServer, name: str, path: str, logged_in: bool) -> Scores:
    args = [
        str(LIGHTHOUSE),
        server.url + path,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        "--only-categories=performance,accessibility",
        "--locale=fi",
        "--max-wait-for-load=60000",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --lang=fi",
    ]
    if logged_in:
        args.append("--extra-headers=" + json.dumps({"Cookie": server.cookie_header()}))
    result = subprocess.run(
        args,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    if result.returncode != 0 or not result.stdout.strip():
        raise RuntimeError(f"lighthouse failed on {path}: {result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    if report.get("finalDisplayedUrl", "").endswith("/login"):
        raise RuntimeError(f"lighthouse was sent to the login page from {path}")
    categories = report["categories"]
    losses: list[str] = []
    for category in categories.values():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                value = audit.get("displayValue", "")
                losses.append(f"{ref['id']} ({audit['score']:.2f}{', ' + value if value else ''})")
    return Scores(
        name=name,
        performance=round((categories["performance"]["score"] or 0) * 100),
        accessibility=round((categories["accessibility"]["score"] or 0) * 100),
        losses=losses,
    )


def run_with_retry(server: BenchServer, name: str, path: str, logged_in: bool) -> Scores | None:
    """Lighthouse sometimes loses the trace on a busy machine (NO_NAVSTART): try twice."""
    for attempt in (1, 2):
        try:
            return run_one(server, name, path, logged_in)
        except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
            print(f"{name}: attempt {attempt} failed: {str(exc).splitlines()[0][:200]}")
    return None


def measure(server: BenchServer) -> list[Scores]:
    pages = [
        ("landing", "/", False),
        ("catalogue", "/palvelut", False),
        ("offer", f"/palvelut/{server.offer_id}", False),
        ("plan", "/oma/budjetti", True),
        ("balance", "/oma/saldo", True),
    ]
    scores = [run_with_retry(server, name, path, logged_in) for name, path, logged_in in pages]
    return [s for s in scores if s is not None]


def print_table(scores: list[Scores]) -> None:
    print(f"{'page':12} {'perf':>5} {'a11y':>5}  points lost on")
    for s in scores:
        print(f"{s.name:12} {s.performance:5d} {s.accessibility:5d}  {'; '.join(s.losses) or '-'}")


def main() -> None:
    problem = available()
    if problem:
        print(problem)
        print("lighthouse perf_min=n/a a11y_min=n/a")
        return
    with bench_server() as server:
        scores = measure(server)
    print_table(scores)
    if not scores:
        print("lighthouse perf_min=n/a a11y_min=n/a")
        return
    print(
        f"lighthouse perf_min={min(s.performance for s in scores)} "
        f"a11y_min={min(s.accessibility for s in scores)}"
    )


if __name__ == "__main__":
    main()
