"""Hebu served by uvicorn in processes of its own on loopback, on a database the caller
prepared (tests that burst requests at a real server; bench/server.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
SECRET = "server-secret-key-0123456789abcdef0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(database_url: str, log_path: Path | None = None, **env: str) -> Iterator[str]:
    """One uvicorn process on `database_url` (dev login on, no rate limit): its base URL.
    With `log_path`, the process's log (stderr) is written to that file."""
    port = free_port()
    environ = {
        **os.environ,
        "HEBU_ENVIRONMENT": "test",
        "HEBU_DATABASE_URL": database_url,
        "HEBU_DEV_LOGIN": "true",
        "HEBU_SECRET_KEY": SECRET,
        "HEBU_HETU_HASH_KEY": SECRET,
        "HEBU_LOG_LEVEL": "WARNING",
        "HEBU_RATE_LIMIT_ATTEMPTS": "1000000",
        **env,
    }
    command = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    log = open(log_path, "ab") if log_path else None  # noqa: SIM115 - closed below
    process = subprocess.Popen([*command, "--no-access-log"], cwd=ROOT, env=environ, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120  # a loaded machine is slow to import the app
        while True:
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.time() > deadline or process.poll() is not None:
                raise RuntimeError(f"the server on {database_url} did not start")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if log is not None:
            log.close()


@contextmanager
def several(database_url: str, count: int, **env: str) -> Iterator[list[str]]:
    """`count` server processes on one database."""
    with ExitStack() as stack:
        yield [stack.enter_context(serving(database_url, **env)) for _ in range(count)]


def login(url: str, persona: str) -> dict[str, str]:
    """The cookies of a dev-persona login (valid on every server sharing the database)."""
    with httpx.Client(base_url=url, follow_redirects=False) as client:
        client.get("/healthz")
        token = client.cookies.get("csrftoken") or ""
        response = client.post(
            "/login/dev", data={"persona": persona, "next": "/", "csrftoken": token}
        )
        if response.status_code != 303:
            raise RuntimeError(f"dev login failed: {response.status_code}")
        return dict(client.cookies.items())
