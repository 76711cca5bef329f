"""Where the background job loop runs: `hebu worker` (production, beside any number of web
processes), or a thread inside the development server (`HEBU_RUN_JOBS_IN_PROCESS`). Both run
`services.operations.runner.loop` over the one job list; the leases keep them apart."""

from __future__ import annotations

import signal
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import FrameType

from fastapi import FastAPI
from sqlalchemy.engine import Engine

from app.config import Settings
from app.services import search
from app.services.operations import registry, runner


def start_thread(engine: Engine, settings: Settings) -> tuple[threading.Thread, threading.Event]:
    """The loop in a daemon thread; set the event to stop it after the current job."""
    stop = threading.Event()
    thread = threading.Thread(
        target=runner.loop,
        args=(engine, registry.jobs(settings), settings.worker_poll_seconds, stop),
        name="hebu-jobs",
        daemon=True,
    )
    thread.start()
    return thread, stop


@asynccontextmanager
async def in_process(app: FastAPI) -> AsyncIterator[None]:
    """The app's lifespan: the search index starts loading in the background, and the job
    loop runs beside the web server when the settings say so (development by default; never
    in tests unless they ask)."""
    settings: Settings = app.state.settings
    if settings.warm_search:
        search.warm_up(app.state.engine)
    if not settings.jobs_in_process:
        yield
        return
    thread, stop = start_thread(app.state.engine, settings)
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=settings.worker_poll_seconds + 30)


def run(engine: Engine, settings: Settings, once: bool = False) -> list[runner.Outcome]:
    """`hebu worker`: one pass (`once`), or passes until SIGTERM or SIGINT, which end the loop
    after the job under way (its lease is released as it finishes)."""
    specs = registry.jobs(settings)
    if once:
        return runner.run_due(engine, specs)
    stop = threading.Event()

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    runner.loop(engine, specs, settings.worker_poll_seconds, stop)
    return []
