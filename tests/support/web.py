"""Helpers for driving the app like a browser: CSRF tokens, dev login."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

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
