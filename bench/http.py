"""Page throughput: requests/second and p95 latency of the catalogue search, an offer page and
the client's plan page next to a trivial route (/healthz) on the same server.

One uvicorn process on loopback with the demo data; a small async httpx load generator keeps
a fixed number of requests in flight for a bounded time per route. The ratio page/trivial is
the figure that travels between machines (target >= 0.5).

    .venv/bin/python bench/http.py [--seconds 5] [--concurrency 8]

Last line: `http trivial_rps=<x> search_ratio=<x> offer_ratio=<x> plan_ratio=<x> page_ratio=<min>`
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
import asyncio
import time
from dataclasses import dataclass

import httpx

from bench.server import BenchServer, bench_server


@dataclass
class Figure:
    name: str
    path: str
    rps: float
    p50_ms: float
    p95_ms: float
    errors: int
    ratio: float = 1.0


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


async def _load(
    server: BenchServer, path: str, seconds: float, concurrency: int, auth: bool
) -> tuple[float, list[float], int]:
    timings: list[float] = []
    errors = 0
    cookies = server.cookies if auth else {}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"Accept-Encoding": "gzip"}
    async with httpx.AsyncClient(
        base_url=server.url, cookies=cookies, limits=limits, headers=headers, timeout=30
    ) as client:
        for _ in range(3):  # warm up (templates, caches)
            await client.get(path)
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await client.get(path)
                await response.aread()
                timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return elapsed, timings, errors


def measure(server: BenchServer, seconds: float = 5.0, concurrency: int = 8) -> list[Figure]:
    routes = [
        ("trivial", "/healthz", False),
        ("catalogue search", "/palvelut?q=siivous", False),
        ("offer page", f"/palvelut/{server.offer_id}", False),
        ("plan page", "/oma/budjetti", True),
    ]
    figures: list[Figure] = []
    for name, path, auth in routes:
        elapsed, timings, errors = asyncio.run(_load(server, path, seconds, concurrency, auth))
        figures.append(
            Figure(
                name=name,
                path=path,
                rps=len(timings) / elapsed if elapsed else 0.0,
                p50_ms=_percentile(timings, 0.5),
                p95_ms=_percentile(timings, 0.95),
                errors=errors,
            )
        )
    trivial = figures[0].rps or 1.0
    for figure in figures:
        figure.ratio = figure.rps / trivial
    return figures


def print_table(figures: list[Figure]) -> None:
    print(f"{'route':18} {'path':24} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'ratio':>6} err")
    for f in figures:
        print(
            f"{f.name:18} {f.path:24} {f.rps:8.0f} {f.p50_ms:8.1f} {f.p95_ms:8.1f} "
            f"{f.ratio:6.2f} {f.errors}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with bench_server() as server:
        figures = measure(server, args.seconds, args.concurrency)
    print_table(figures)
    pages = figures[1:]
    print(
        f"http trivial_rps={figures[0].rps:.0f} search_ratio={pages[0].ratio:.2f} "
        f"offer_ratio={pages[1].ratio:.2f} plan_ratio={pages[2].ratio:.2f} "
        f"page_ratio={min(p.ratio for p in pages):.2f}"
    )


if __name__ == "__main__":
    main()
