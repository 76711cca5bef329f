"""A throw-away Hebu server for the benchmarks: fresh SQLite database with the demo data,
served by uvicorn in its own process on loopback (so the load generator does not share its
interpreter). Also logs a demo persona in and finds a public offer."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
    with httpx.Client(base_url=url, follow_redirects=False) as client:
        client.get("/healthz")
        token = client.cookies.get("csrftoken")
        response = client.post(
            "/login/dev", data={"persona": persona, "next": "/", "csrftoken": token or ""}
        )
        if response.status_code != 303:
            raise RuntimeError(f"dev login failed: {response.status_code}")
        return {name: value for name, value in client.cookies.items()}


@contextmanager
def bench_server() -> Iterator[BenchServer]:
    tmp = Path(tempfile.mkdtemp(prefix="hebu-bench-"))
    database_url = prepare_database(tmp)
    port = _free_port()
    env = {
        **os.environ,
        "HEBU_ENVIRONMENT": "test",
        "HEBU_DATABASE_URL": database_url,
        "HEBU_DEV_LOGIN": "true",  # the plan and balance pages need a logged-in client
        "HEBU_SECRET_KEY": "bench-secret-key-0123456789abcdef0123456789",
        "HEBU_HETU_HASH_KEY": "bench-secret-key-0123456789abcdef0123456789",
        "HEBU_LOG_LEVEL": "WARNING",
        "HEBU_RATE_LIMIT_ATTEMPTS": "1000000",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=ROOT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while True:
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.time() > deadline or process.poll() is not None:
                raise RuntimeError("bench server did not start")
            time.sleep(0.1)
        hits = httpx.get(f"{url}/api/v1/catalogue/search", params={"q": "siivous"}).json()
        offer_id = hits["hits"][0]["offer_id"]
        yield BenchServer(url=url, offer_id=offer_id, cookies=login(url))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(tmp, ignore_errors=True)
