"""Bursts of parallel calls against a real engine: each call in its own thread, session and
transaction, committed on success. Nothing is retried, so a lock error fails the test."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.errors import AppError

Call = Callable[[Session], Any]


def burst(engine: Engine, calls: Sequence[Call], *, workers: int = 10) -> list[Any]:
    """Run `calls` in parallel; each result is what the call returned or the AppError it
    raised (rolled back). Any other exception is raised here."""
    start = threading.Event()

    def one(call: Call) -> Any:
        start.wait()
        with Session(engine, expire_on_commit=False) as s:
            try:
                result = call(s)
                s.commit()
            except AppError as exc:
                s.rollback()
                return exc
            return result

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(one, call) for call in calls]
        start.set()
        return [future.result(timeout=120) for future in futures]


def succeeded(results: Sequence[Any]) -> list[Any]:
    return [r for r in results if not isinstance(r, AppError)]
