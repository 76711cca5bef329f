"""A throw-away Hebu server for the benchmarks: fresh SQLite database with the demo data,
served by uvicorn in its own process on loopback (so the load generator does not share its
interpreter). Also logs a demo persona in and finds a public offer."""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@dataclass
class BenchServer:
    url: str
    offer_id: int
    cookies: dict[str, str] = field(default_factory=dict)  # the logged-in client's cookies

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


def prepare_database(directory: Path) -> str:
    from sqlmodel import Session

    from app.db import make_engine
    from app.demo.county import load_demo
    from app.migrate import upgrade

    url = f"sqlite:///{directory / 'bench.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_demo(session)
        session.commit()
    engine.dispose()
    return url


def login(url: str, persona: str = "client") -> dict[str, str]:
    from tests.support.servers import login as dev_login

    return dev_login(url, persona)


@contextmanager
def bench_server() -> Iterator[BenchServer]:
    from tests.support.servers import serving

    tmp = Path(tempfile.mkdtemp(prefix="hebu-bench-"))
    try:
        with serving(prepare_database(tmp)) as url:
            hits = httpx.get(f"{url}/api/v1/catalogue/search", params={"q": "siivous"}).json()
            offer_id = hits["hits"][0]["offer_id"]
            yield BenchServer(url=url, offer_id=offer_id, cookies=login(url))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
