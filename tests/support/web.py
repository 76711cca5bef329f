"""Helpers for driving the app like a browser: CSRF tokens, dev login."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute

_TOKEN_RE = re.compile(r'name="csrftoken" value="([^"]+)"')


def csrf_token(client: TestClient) -> str:
    """The CSRF token the app hands a browser (cookie + matching form field)."""
    token = client.cookies.get("csrftoken")
    if not token:
        client.get("/healthz")
        token = client.cookies.get("csrftoken")
    assert token, "the app did not set a CSRF cookie"
    return token


def form_post(client: TestClient, url: str, data: dict[str, Any] | None = None, **kw: Any):  # noqa: ANN201
    payload = dict(data or {})
    payload.setdefault("csrftoken", csrf_token(client))
    return client.post(url, data=payload, **kw)


def htmx_post(client: TestClient, url: str, data: dict[str, Any] | None = None, **kw: Any):  # noqa: ANN201
    headers = {"HX-Request": "true", "x-csrftoken": csrf_token(client), **kw.pop("headers", {})}
    return client.post(url, data=data or {}, headers=headers, **kw)


def login_as(client: TestClient, persona: str) -> None:
    response = form_post(client, "/login/dev", {"persona": persona, "next": "/"})
    assert response.status_code == 303, response.text


def form_token_in(html: str) -> str | None:
    match = _TOKEN_RE.search(html)
    return match.group(1) if match else None


def api_routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    """Every APIRoute of an app, also inside the routers it includes (FastAPI keeps included
    routers as their own objects instead of copying their routes into `app.routes`)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from api_routes(included.routes)
