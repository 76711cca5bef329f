"""Prometheus metrics at `/metrics`: requests by route template, the database pool, the job
and outbox queues.

- Requests are labelled by the route's *template* (`/palvelut/{offer_id}`), never the raw
  path, so no client id, search word or token reaches a label; a path no route matches is
  `<unmatched>`, a method outside HTTP's usual ones `other`.
- Several worker processes (`hebu serve --workers N`) write their counters to files in
  `PROMETHEUS_MULTIPROC_DIR` (the CLI sets and empties it); whichever worker answers the
  scrape adds them all up.
- Jobs and outboxes are read from the database at scrape time
  (`services/operations/queues.py`), so every process reports the same figures.
- `/metrics` answers a loopback client (one whose request came through no proxy) or a request
  with `Authorization: Bearer <HEBU_METRICS_TOKEN>` (compared in constant time); anyone else
  gets 401 (a token is configured) or 403.
"""

from __future__ import annotations

import atexit
import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.config import Settings
from app.middleware import ASGIApp, Message, Receive, Scope, Send
from app.services.operations.queues import queues

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
PATH = "/metrics"
UNMATCHED = "<unmatched>"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
FORWARDED = (b"forwarded", b"x-forwarded-for", b"x-real-ip")
log = logging.getLogger(__name__)

REQUESTS = Counter(
    "hebu_http_requests",
    "HTTP requests answered, by route template, method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "hebu_http_request_duration_seconds",
    "Seconds from the request to its last body chunk handed to the server, by route template.",
    ["route", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
POOL_CHECKED_OUT = Gauge(
    "hebu_db_pool_checked_out",
    "Database connections in use (summed over the worker processes).",
    multiprocess_mode="livesum",
)
POOL_SIZE = Gauge(
    "hebu_db_pool_size",
    "Database connections each pool keeps (summed over the worker processes).",
    multiprocess_mode="livesum",
)

if os.environ.get(MULTIPROC_ENV):
    # This process's live gauges leave the sum when it ends (a restarted worker's too).
    atexit.register(multiprocess.mark_process_dead, os.getpid())


HOLDER = "hebu.metrics"  # the scope key of the dict the answering route is written into


def route_template(route: object) -> str:
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else UNMATCHED


def route_capture(app: ASGIApp) -> ASGIApp:
    """The innermost middleware: hands the route the router chose (`scope["route"]`) out to
    `MetricsMiddleware`, through a dict both share; middleware in between copies the scope."""

    async def capture(scope: Scope, receive: Receive, send: Send) -> None:
        holder = scope.get(HOLDER)
        if holder is None:
            await app(scope, receive, send)
            return

        async def send_route(message: Message) -> None:
            if message["type"] == "http.response.start":
                holder["route"] = scope.get("route")
            await send(message)

        await app(scope, receive, send_route)

    return capture


def _method(scope: Scope) -> str:
    method = str(scope.get("method", ""))
    return method if method in METHODS else "other"


def _on_checkout(*_args: Any) -> None:
    POOL_CHECKED_OUT.inc()


def _on_checkin(*_args: Any) -> None:
    POOL_CHECKED_OUT.dec()


def instrument_pool(engine: Engine) -> None:
    """Count the engine's checked-out connections (once per engine)."""
    if not event.contains(engine, "checkout", _on_checkout):
        event.listen(engine, "checkout", _on_checkout)
        event.listen(engine, "checkin", _on_checkin)
        size = getattr(engine.pool, "size", None)
        if callable(size):
            POOL_SIZE.inc(size())


class QueueCollector(Collector):
    """Jobs and outboxes as the database has them at scrape time."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("hebu_database_up", "Whether the scrape could read the database.")
        try:
            with Session(self.engine) as session:
                found = queues(session, self.settings, datetime.now(UTC))
        except Exception:
            log.exception("metrics: reading the job and outbox queues failed")
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        families = {
            "due": ("hebu_job_due", "1 while the job is due and no runner has taken it yet."),
            "running": ("hebu_job_running", "1 while a runner holds the job's lease."),
            "failures": ("hebu_job_failures", "Failed runs in a row (0 after a good run)."),
            "last": ("hebu_job_last_run_timestamp_seconds", "When the job's last run started."),
            "duration": ("hebu_job_last_duration_seconds", "How long the job's last run took."),
            "next": ("hebu_job_next_run_timestamp_seconds", "When the job is due next."),
        }
        built = {k: GaugeMetricFamily(n, h, labels=["job"]) for k, (n, h) in families.items()}
        for job in found.jobs:
            built["due"].add_metric([job.name], int(job.waiting))
            built["running"].add_metric([job.name], int(job.running))
            built["failures"].add_metric([job.name], job.attempts)
            if job.last_run_at is not None:
                built["last"].add_metric([job.name], job.last_run_at.timestamp())
            if job.last_duration_ms is not None:
                built["duration"].add_metric([job.name], job.last_duration_ms / 1000)
            if job.next_run_at is not None:
                built["next"].add_metric([job.name], job.next_run_at.timestamp())
        yield from built.values()
        depth = GaugeMetricFamily("hebu_jobs_due", "Jobs due and waiting for a runner.")
        depth.add_metric([], sum(job.waiting for job in found.jobs))
        yield depth
        for name, doc, value in (
            ("hebu_search_outbox_backlog", "Offer changes not yet sent to the search engine.",
             found.search_outbox),
            ("hebu_notification_outbox_backlog", "E-mails and text messages not yet sent.",
             found.notification_outbox),
            ("hebu_notification_outbox_failed", "Messages given up after the last attempt.",
             found.notification_failed),
        ):  # fmt: skip
            family = GaugeMetricFamily(name, doc)
            family.add_metric([], value)
            yield family


def exposition(engine: Engine, settings: Settings) -> bytes:
    """The text format: this process's (or every worker's) metrics, then the queues."""
    folder = os.environ.get(MULTIPROC_ENV)
    if folder:
        merged = CollectorRegistry()
        multiprocess.MultiProcessCollector(merged, path=folder)
        own = generate_latest(merged)
    else:
        own = generate_latest(REGISTRY)
    database = CollectorRegistry(auto_describe=False)
    database.register(QueueCollector(engine, settings))
    return own + generate_latest(database)


def _is_loopback(scope: Scope) -> bool:
    client = scope.get("client")
    if not client:
        return False
    try:
        return ipaddress.ip_address(client[0]).is_loopback
    except ValueError:
        return False


def allowed(scope: Scope, token: str | None) -> bool:
    """A loopback client that came through no proxy, or the bearer token."""
    headers = dict(scope.get("headers", []))
    given = headers.get(b"authorization", b"")
    if token and hmac.compare_digest(given, f"Bearer {token}".encode()):
        return True
    return _is_loopback(scope) and not any(name in headers for name in FORWARDED)


class MetricsMiddleware:
    """Counts and times every HTTP request, and answers `/metrics`."""

    def __init__(self, app: ASGIApp, settings: Settings, engine: Engine) -> None:
        self.app = app
        self.settings = settings
        self.engine = engine
        instrument_pool(engine)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state: dict[str, Any] = {"status": 500, "counted": False}
        holder: dict[str, object] = {}
        scope[HOLDER] = holder

        def count() -> None:
            if state["counted"]:
                return
            state["counted"] = True
            labels = (route_template(holder.get("route")), _method(scope), str(state["status"]))
            REQUESTS.labels(*labels).inc()
            LATENCY.labels(*labels).observe(time.perf_counter() - started)

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = int(message["status"])
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                count()  # before the last byte leaves: a client that saw it sees the count
            await send(message)

        try:
            if scope.get("path") == PATH and scope.get("method") == "GET":
                holder["route"] = _METRICS_ROUTE
                await self._answer(scope, send_wrapper)
            else:
                await self.app(scope, receive, send_wrapper)
        finally:
            count()  # no complete answer (an error, a client gone)

    async def _answer(self, scope: Scope, send: Send) -> None:
        token = self.settings.metrics_token
        if not allowed(scope, token):
            code = 401 if token else 403
            headers = [(b"www-authenticate", b"Bearer")] if token else []
            await _send(send, code, b"", b"text/plain; charset=utf-8", headers)
            return
        body = await run_in_threadpool(exposition, self.engine, self.settings)
        await _send(send, 200, body, CONTENT_TYPE_LATEST.encode())


class _Route:
    path = PATH


_METRICS_ROUTE = _Route()


async def _send(
    send: Send,
    status: int,
    body: bytes,
    content_type: bytes,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    raw = [
        (b"content-type", content_type),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        *(headers or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
