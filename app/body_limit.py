"""Bounded request bodies, read in full before the app sees the request.

`BodyLimitMiddleware` sits outside the CSRF and session middleware. For a request with a body:
- a `Content-Length` over the route's limit is answered 413 at once, nothing read;
- otherwise the body is received here, counting bytes (413 as soon as the count passes the
  limit, for a chunked body without `Content-Length`), within `timeout` seconds for the
  whole body (408 after that);
- only then is the app called, with a `receive` that replays the buffered body.

So no route, dependency or CSRF check ever waits on the network for the body: in particular no
database transaction (on SQLite a `BEGIN IMMEDIATE`, the write lock) is open while a slow or
stalled client is still sending. The limit is `HEBU_MAX_BODY_BYTES`; `LARGER_LIMITS` raises it
for the few paths whose senders we do not control.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request

from app.error_pages import error_response
from app.i18n import gettext
from app.middleware import ASGIApp, Message, Receive, Scope, Send

MIB = 1024 * 1024
# Stripe's event payloads are JSON objects with their expanded sub-objects: normally a few
# kilobytes, but Stripe documents no upper bound, so its webhook gets a generous limit.
LARGER_LIMITS: dict[str, int] = {"/webhooks/stripe": 4 * MIB}
_NO_BODY_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class _TooLarge(Exception):
    pass


def limit_for(path: str, default: int) -> int:
    """The most bytes a request body to `path` may have."""
    return max(default, LARGER_LIMITS.get(path, 0))


def _declared_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    for name, value in headers:
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _may_have_body(scope: Scope) -> bool:
    if scope.get("method", "GET") not in _NO_BODY_METHODS:
        return True
    names = {name.lower() for name, _ in scope.get("headers", [])}
    return b"content-length" in names or b"transfer-encoding" in names


async def _receive_body(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None when the client went away before sending it."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _refuse(scope: Scope, send: Send, status: int, message: str) -> None:
    response = error_response(Request(scope), status, message)
    # The rest of the body is never read: the connection cannot be reused.
    response.headers["Connection"] = "close"
    await response(scope, _empty_receive, send)


async def _empty_receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


def _too_large() -> str:
    return gettext("What was sent is too large. Please send less at a time.")


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int, timeout: float) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _may_have_body(scope):
            await self.app(scope, receive, send)
            return
        limit = limit_for(scope.get("path", ""), self.max_body_bytes)
        declared = _declared_length(scope.get("headers", []))
        if declared is not None and declared > limit:
            await _refuse(scope, send, 413, _too_large())
            return
        try:
            async with asyncio.timeout(self.timeout):
                body = await _receive_body(receive, limit)
        except _TooLarge:
            await _refuse(scope, send, 413, _too_large())
            return
        except TimeoutError:
            message = gettext("The form took too long to arrive. Please try again.")
            await _refuse(scope, send, 408, message)
            return
        if body is None:
            return  # the client disconnected: no one to answer
        await self.app(scope, _replay(body, receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that gives the buffered body once, then waits on the real one (for the
    disconnect)."""
    pending: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay
