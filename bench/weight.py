"""Page weight measured in the browser (Playwright + Debian Chromium, phone viewport).

First load = a cold cache: every response the page needs (HTML, CSS, JS, icon), counted as
the encoded (compressed) body bytes that crossed the wire, plus their headers shown apart.
An HTMX interaction = every response after the page settled, caused by one user action
(typing a search word; ticking a facet). Targets: first load <= 50 KB, interaction <= 10 KB.

    .venv/bin/python bench/weight.py

Last line: `weight first_load_kb=<max over pages> htmx_kb=<max>`
"""

from __future__ import annotations

import sys
from pathlib import Path

_BENCH = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH]
sys.path.insert(0, str(_BENCH.parent))

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from bench.server import BenchServer, bench_server

CHROMIUM = os.environ.get("HEBU_CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 360, "height": 740}
KINDS = {"document": "html", "stylesheet": "css", "script": "js", "fetch": "htmx", "xhr": "htmx"}


@dataclass
class Weight:
    name: str
    body: dict[str, int] = field(default_factory=dict)  # kind -> encoded body bytes
    headers: int = 0
    requests: int = 0
    encodings: set[str] = field(default_factory=set)

    @property
    def total_kb(self) -> float:
        return sum(self.body.values()) / 1024


class Recorder:
    def __init__(self) -> None:
        self.entries: list[tuple[str, int, int, str]] = []

    def __call__(self, request: Any) -> None:
        response = request.response()
        if response is None:
            return
        sizes = request.sizes()
        if os.environ.get("HEBU_BENCH_DEBUG"):
            print(request.resource_type, request.method, request.url, sizes, response.status)
        if sizes["responseBodySize"] < 0:  # served from the memory cache: nothing transferred
            return
        encoding = response.headers.get("content-encoding", "identity")
        self.entries.append(
            (
                KINDS.get(request.resource_type, "other"),
                int(sizes["responseBodySize"]),
                int(sizes["responseHeadersSize"]),
                f"{urlparse(request.url).path.rsplit('/', 1)[-1] or '/'}:{encoding}",
            )
        )

    def take(self, name: str) -> Weight:
        weight = Weight(name)
        for kind, body, headers, label in self.entries:
            weight.body[kind] = weight.body.get(kind, 0) + body
            weight.headers += headers
            weight.requests += 1
            weight.encodings.add(label)
        self.entries = []
        return weight


def _context(browser: Any, server: BenchServer, logged_in: bool) -> Any:
    context = browser.new_context(
        locale="fi-FI", viewport=PHONE, extra_http_headers={"Accept-Language": "fi"}
    )
    if logged_in:
        host = urlparse(server.url).hostname
        context.add_cookies(
            [
                {"name": k, "value": v, "domain": host, "path": "/"}
                for k, v in server.cookies.items()
            ]
        )
    return context


def _search_typing(page: Any) -> None:
    page.fill("#f-q", "fysioterapia")
    page.wait_for_timeout(1200)  # the 300 ms debounce, then the request


def _facet_click(page: Any) -> None:
    page.locator("details.filters summary").click()
    page.locator("#fc-category-1").check()
    page.wait_for_timeout(1200)


def measure(server: BenchServer) -> tuple[list[Weight], list[Weight]]:
    from playwright.sync_api import sync_playwright

    pages = [
        ("landing", "/", False),
        ("catalogue", "/palvelut", False),
        ("plan", "/oma/budjetti", True),
        ("balance", "/oma/saldo", True),
    ]
    interactions: list[tuple[str, str, Callable[[Any], None]]] = [
        ("search typing", "/palvelut", _search_typing),
        ("facet click", "/palvelut?q=terapia", _facet_click),
    ]
    first_loads: list[Weight] = []
    htmx: list[Weight] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for name, path, logged_in in pages:
            context = _context(browser, server, logged_in)
            page = context.new_page()
            recorder = Recorder()
            page.on("requestfinished", recorder)
            response = page.goto(server.url + path, wait_until="networkidle")
            if response is None or response.status != 200 or page.url.endswith("/login"):
                raise RuntimeError(f"{path} did not load ({response and response.status})")
            first_loads.append(recorder.take(name))
            context.close()
        for name, path, action in interactions:
            context = _context(browser, server, False)
            page = context.new_page()
            recorder = Recorder()
            page.on("requestfinished", recorder)
            page.goto(server.url + path, wait_until="networkidle")
            recorder.take("load")
            action(page)
            weight = recorder.take(name)
            if not weight.requests:
                raise RuntimeError(f"{name}: no HTMX request was made")
            htmx.append(weight)
            context.close()
        browser.close()
    return first_loads, htmx


def print_table(first_loads: list[Weight], htmx: list[Weight]) -> None:
    print(f"{'page':14} {'html':>7} {'css':>7} {'js':>7} {'other':>7} {'total KB':>9} hdr KB req")
    for w in first_loads + htmx:
        kb = {k: w.body.get(k, 0) / 1024 for k in ("html", "css", "js", "other", "htmx")}
        html = kb["html"] + kb["htmx"]
        print(
            f"{w.name:14} {html:7.1f} {kb['css']:7.1f} {kb['js']:7.1f} {kb['other']:7.1f} "
            f"{w.total_kb:9.1f} {w.headers / 1024:6.1f} {w.requests:3d}"
        )
    served = sorted({e for w in first_loads for e in w.encodings})
    print("served as:", ", ".join(served))


def main() -> None:
    with bench_server() as server:
        first_loads, htmx = measure(server)
    print_table(first_loads, htmx)
    print(
        f"weight first_load_kb={max(w.total_kb for w in first_loads):.1f} "
        f"htmx_kb={max(w.total_kb for w in htmx):.1f}"
    )


if __name__ == "__main__":
    main()
