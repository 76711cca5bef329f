"""Issue 13, the smaller HTTP findings: caching of personal pages, CSRF and the
Authorization header, the published API schema, and which X-Forwarded-For is believed."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.services.identity.rate_limits import bucket
from tests.support.web import csrf_token, login_as


def test_pages_to_a_logged_in_user_are_not_stored(client, demo):
    login_as(client, "client")
    for path in ("/oma/budjetti", "/oma/lokitiedot", "/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "no-store", path


def test_the_login_response_that_starts_a_session_is_not_stored(client, demo):
    from tests.support.web import form_post

    response = form_post(client, "/login/dev", {"persona": "client", "next": "/"})
    assert "hebu_session=" in response.headers["set-cookie"]
    assert response.headers["cache-control"] == "no-store"


def test_static_files_stay_immutable_for_a_logged_in_user(client, demo):
    login_as(client, "client")
    response = client.get("/static/js/htmx.min.js")
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_an_anonymous_public_page_is_not_marked_personal(client):
    assert "cache-control" not in client.get("/").headers


def test_an_authorization_header_does_not_skip_the_csrf_check(client):
    csrf_token(client)  # the browser has the cookie, the forged form lacks the token
    response = client.post("/logout", data={}, headers={"Authorization": "Bearer anything"})
    assert response.status_code == 403


def test_the_published_schema_is_the_public_api_only(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert paths and all(path.startswith("/api/") for path in paths), sorted(paths)


def _seen_address(settings: Settings, engine, peer: str, forwarded: str) -> str:  # noqa: ANN001
    """The address the login rate limit counts, for a request from `peer`."""
    from sqlmodel import Session, select

    from app.models.identity import RateLimitHit

    app = create_app(settings, engine)
    with TestClient(app, client=(peer, 50000), follow_redirects=False) as c:
        token = csrf_token(c)
        c.post(
            "/login/dev",
            data={"persona": "nobody", "csrftoken": token},
            headers={"X-Forwarded-For": forwarded},
        )
    with Session(engine) as s:
        buckets = s.exec(select(RateLimitHit.bucket)).all()
        assert buckets
        return buckets[-1]


def test_x_forwarded_for_is_ignored_from_an_unlisted_peer(settings, engine):
    seen = _seen_address(settings, engine, "203.0.113.7", "198.51.100.1")
    assert seen == bucket("login", "203.0.113.7")


def test_x_forwarded_for_is_believed_from_a_trusted_proxy(settings, engine):
    trusting = settings.model_copy(update={"trusted_proxies": ["10.0.0.0/8"]})
    seen = _seen_address(trusting, engine, "10.1.2.3", "198.51.100.1")
    assert seen == bucket("login", "198.51.100.1")


def test_trusted_proxies_are_a_list_of_addresses(monkeypatch):
    monkeypatch.setenv("HEBU_TRUSTED_PROXIES", "10.0.0.1, 192.168.0.0/16")
    assert Settings().trusted_proxies == ["10.0.0.1", "192.168.0.0/16"]
    monkeypatch.setenv("HEBU_TRUSTED_PROXIES", "proxy.example")
    with pytest.raises(ValueError, match="proxy.example"):
        Settings()
