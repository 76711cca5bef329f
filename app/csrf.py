"""CSRF protection: asgi-csrf's double-submit cookie, with request bodies it can always read.

asgi-csrf (pinned to 0.11 in pyproject.toml) checks the `x-csrftoken` header or the form's
`csrftoken` field against its signed cookie. Its body readers broke on input a client
controls, which turned such a POST with a cookie into a 500:
- multipart: it builds python-multipart's `FormParser` with `FileClass=`, an argument
  python-multipart dropped in 0.0.26 (the release that fixed CVE-2026-40347, so pinning an
  older one is no way out; upstream: simonw/asgi-csrf#38, fix pending in #39);
- urlencoded: it decodes the body as strict UTF-8, so one stray byte raised;
- a multipart content type without `; boundary=` made it index past a split;
- `secrets.compare_digest` raises on non-ASCII text, so a non-ASCII token (header or field)
  raised too: such a token is dropped (a signed token is ASCII).
`install_body_readers` gives asgi-csrf readers that take the same arguments and return the
same (token, replay) pair; `CsrfMiddleware` answers 400 to a multipart body whose boundary
cannot be read, before asgi-csrf looks at it. Drop this module once upstream reads bodies with
the current python-multipart.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

import asgi_csrf as upstream
from python_multipart import FormParser
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import Field, File
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from app.error_pages import error_response

Replay = Callable[[], Awaitable[dict[str, Any]]]
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
# How asgi-csrf reads the boundary: `content_type.split(b"; boundary=")[1]`.
_READABLE_BOUNDARY = re.compile(rb"multipart/form-data; boundary=[^\s;]+")


class _TokenFound(Exception):
    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


class _Recorded:
    """The body as received, replayed to the app after the token was read."""

    def __init__(self, receive: Receive) -> None:
        self.receive = receive
        self.messages: list[dict[str, Any]] = []

    async def replay(self) -> dict[str, Any]:
        return self.messages.pop(0) if self.messages else await self.receive()

    async def read(self, feed: Callable[[bytes], None]) -> None:
        """Receive the body, handing each chunk to `feed` (which may raise to stop early)."""
        more_body = True
        while more_body:
            message = await self.receive()
            self.messages.append(message)
            if message["type"] != "http.request":
                return
            feed(message.get("body", b""))
            more_body = message.get("more_body", False)


async def read_multipart_token(boundary: bytes, receive: Receive) -> tuple[str | None, Replay]:
    """The `csrftoken` field of a multipart body (None if absent or malformed, and then the
    check refuses it); a file part before it raises asgi-csrf's `FileBeforeToken`."""

    def on_field(field: Field) -> None:
        if field.field_name == b"csrftoken":
            raise _TokenFound(_ascii((field.value or b"").decode("utf-8", "replace")))

    def on_file(file: File) -> None:
        raise upstream.FileBeforeToken

    body = _Recorded(receive)
    try:
        parser = FormParser("multipart/form-data", on_field, on_file, boundary=boundary)
        await body.read(parser.write)
        parser.finalize()
    except _TokenFound as found:
        return found.token, body.replay
    except FormParserError:
        pass
    return None, body.replay


async def read_urlencoded_fields(receive: Receive) -> tuple[dict[str, str], Replay]:
    """The fields of a urlencoded body ({} if it is not text), as asgi-csrf expects them."""
    chunks: list[bytes] = []
    body = _Recorded(receive)
    await body.read(chunks.append)
    fields = dict(parse_qsl(b"".join(chunks).decode("utf-8", "replace")))
    return {key: _ascii(value) for key, value in fields.items()}, body.replay


def _ascii(token: str) -> str:
    """A token as asgi-csrf can compare it (`secrets.compare_digest` refuses non-ASCII text);
    a signed token is ASCII, so anything else is simply no token."""
    return token if token.isascii() else ""


def install_body_readers() -> None:
    """Point asgi-csrf at the readers above (it looks them up as module globals per request)."""
    upstream._parse_multipart_form_data = read_multipart_token  # type: ignore[attr-defined]
    upstream._parse_form_urlencoded = read_urlencoded_fields  # type: ignore[attr-defined]


class CsrfMiddleware:
    """asgi-csrf with the readers above; a multipart body it could not split is a 400."""

    def __init__(self, app: ASGIApp, **options: Any) -> None:
        install_body_readers()
        self.app = app
        self.protected = upstream.asgi_csrf(app, **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in _SAFE_METHODS:
            headers = scope.get("headers") or []
            if any(k == b"x-csrftoken" and not v.isascii() for k, v in headers):
                # asgi-csrf would compare it as text and raise; no signed token looks so.
                headers = [(k, v) for k, v in headers if k != b"x-csrftoken"]
                scope = {**scope, "headers": headers}
            content_type = dict(headers).get(b"content-type", b"")
            if content_type.split(b";", 1)[0] == b"multipart/form-data" and not (
                _READABLE_BOUNDARY.match(content_type)
            ):
                await error_response(Request(scope), 400)(scope, receive, send)
                return
        await self.protected(scope, receive, send)
