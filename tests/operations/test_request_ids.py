"""Every log line written while a request is answered carries the request's id (the one in
its `X-Request-ID` answer), also lines from the worker thread a plain `def` route runs in."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.logging_setup import RequestIdFilter, request_id


class Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.addFilter(RequestIdFilter())

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_a_line_logged_inside_a_route_carries_the_request_id(app: FastAPI) -> None:
    probe = logging.getLogger("hebu.probe")

    def noisy() -> dict[str, str]:
        probe.warning("inside the route")
        return {"ok": "yes"}

    app.add_api_route("/_probe", noisy)
    kept = Kept()
    probe.addHandler(kept)
    try:
        with TestClient(app) as c:
            given = c.get("/_probe", headers={"X-Request-ID": "req-abc123"})
            drawn = c.get("/_probe")
    finally:
        probe.removeHandler(kept)
    assert given.headers["x-request-id"] == "req-abc123"
    ids = [getattr(r, "request_id", None) for r in kept.records]
    assert ids == ["req-abc123", drawn.headers["x-request-id"]]
    assert request_id.get() is None  # nothing leaks past the request


def test_outside_a_request_no_id_is_added() -> None:
    record = logging.makeLogRecord({"msg": "job done"})
    assert RequestIdFilter().filter(record)
    assert not hasattr(record, "request_id")
