"""Sessions: idle timeout with an extendable warning, absolute lifetime, log out everywhere."""

import base64
import hashlib
import json

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.main import create_app
from app.models.login_session import LoginSession, SessionEnd
from app.services.identity import sessions
from app.session_cookie import SESSION_COOKIE
from tests.support.web import form_post, login_as

FI = {"Accept-Language": "fi"}


class Clock:
    def __init__(self) -> None:
        self.now = sessions.now_ts()

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(sessions, "now_ts", c)
    return c


def test_idle_session_ends_with_a_clear_notice(client, demo, clock):
    login_as(client, "client")
    clock.now += 29 * 60
    assert client.get("/oma/valtuutukset").status_code == 200
    clock.now += 29 * 60  # each request renews the idle time
    assert client.get("/oma/valtuutukset").status_code == 200
    clock.now += 31 * 60
    response = client.get("/oma/valtuutukset")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    login_page = client.get(response.headers["location"], headers=FI)
    assert "Istuntosi päättyi" in login_page.text


def test_the_page_carries_the_warning_and_extend_renews(client, demo, clock, settings):
    login_as(client, "client")
    page = client.get("/", headers=FI)
    assert f'data-session-seconds="{settings.session_idle_minutes * 60}"' in page.text
    assert 'id="session-warning"' in page.text and "Jatka istuntoa" in page.text
    assert "<script>" not in page.text  # no inline script: the CSP forbids it
    clock.now += 28 * 60
    extended = form_post(client, "/session/extend", headers={"Accept": "application/json"})
    assert extended.status_code == 200
    assert extended.json() == {"seconds_left": settings.session_idle_minutes * 60}
    clock.now += 28 * 60
    plain = form_post(client, "/session/extend", {"next": "/oma/valtuutukset"})
    assert plain.status_code == 303 and plain.headers["location"] == "/oma/valtuutukset"


def test_absolute_lifetime_cannot_be_extended(client, demo, clock, settings):
    login_as(client, "client")
    for _ in range(settings.session_absolute_hours * 3):
        clock.now += 20 * 60
        form_post(client, "/session/extend", headers={"Accept": "application/json"})
    clock.now += 20 * 60
    assert client.get("/oma/valtuutukset").status_code == 303


def test_log_out_everywhere_ends_other_sessions(client, second_client, demo):
    login_as(client, "client")
    login_as(second_client, "client")
    assert second_client.get("/oma/valtuutukset").status_code == 200
    assert form_post(client, "/logout/everywhere").status_code == 303
    assert client.get("/oma/valtuutukset").status_code == 303
    ended = second_client.get("/oma/valtuutukset")
    assert ended.status_code == 303
    assert "Istuntosi päättyi" in second_client.get(ended.headers["location"], headers=FI).text
    login_as(second_client, "client")  # a new login works again
    assert second_client.get("/oma/valtuutukset").status_code == 200


def _rows(engine) -> list[LoginSession]:
    with Session(engine) as s:
        return list(s.exec(select(LoginSession).order_by(col(LoginSession.id))))


def test_the_cookie_carries_only_a_random_token_and_the_server_only_its_hash(client, demo, engine):
    login_as(client, "client")
    token = client.cookies.get(SESSION_COOKIE)
    assert token and len(token) >= 40 and "." not in token  # no signed payload to read
    with pytest.raises(ValueError):
        json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    (row,) = _rows(engine)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in row.token_hash


def test_logout_ends_the_session_on_the_server_and_a_replayed_cookie_is_refused(
    client, second_client, demo, engine
):
    login_as(client, "client")
    token = client.cookies.get(SESSION_COOKIE)
    assert client.get("/oma/valtuutukset").status_code == 200
    logout = form_post(client, "/logout")
    assert logout.status_code == 303
    assert f'{SESSION_COOKIE}=""' in logout.headers["set-cookie"]  # the browser forgets it
    (row,) = _rows(engine)
    assert row.ended_at is not None and row.end_reason == SessionEnd.logout
    # A copy of the cookie taken before the logout is of no use afterwards.
    second_client.cookies.set(SESSION_COOKIE, token)
    replayed = second_client.get("/oma/valtuutukset")
    assert replayed.status_code == 303 and replayed.headers["location"].startswith("/login")


def test_a_forged_or_old_style_cookie_is_refused(client, demo):
    login_as(client, "client")
    token = client.cookies.get(SESSION_COOKIE)
    for forged in (token[:-2] + "xx", "eyJ1aWQiOiAzfQ==.abc.def", "x" * 500):
        client.cookies.clear()
        client.cookies.set(SESSION_COOKIE, forged)
        assert client.get("/oma/valtuutukset").status_code == 303


def test_every_app_process_sees_the_same_sessions(settings, engine, demo):
    """Nothing is kept in a process: a login on one, a logout on another, both obey."""
    one, two = create_app(settings, engine), create_app(settings, engine)
    with (
        TestClient(one, follow_redirects=False) as first,
        TestClient(two, follow_redirects=False) as second,
    ):
        login_as(first, "client")
        second.cookies.set(SESSION_COOKIE, first.cookies.get(SESSION_COOKIE))
        assert second.get("/oma/valtuutukset").status_code == 200
        form_post(second, "/logout")
        assert first.get("/oma/valtuutukset").status_code == 303


def test_only_login_and_logout_write_the_session_cookie(client, demo, engine):
    """Ordinary answers never rewrite the session cookie, so two answers arriving in either
    order can't bring back an older state (the old signed cookie could: a stale "acting for"
    came back after the mandate ended)."""
    login_as(client, "assistant")
    token = client.cookies.get(SESSION_COOKIE)
    for path in ("/", "/avustaja", "/oma/valtuutukset"):
        response = client.get(path)
        assert SESSION_COOKIE not in response.headers.get("set-cookie", ""), path
    assert client.cookies.get(SESSION_COOKIE) == token


def test_a_new_login_in_the_same_browser_ends_the_previous_session(client, demo, engine):
    login_as(client, "client")
    first = client.cookies.get(SESSION_COOKIE)
    login_as(client, "assistant")
    assert client.cookies.get(SESSION_COOKIE) != first
    old, new = _rows(engine)
    assert old.end_reason == SessionEnd.replaced and new.ended_at is None


def test_use_is_recorded_at_most_once_a_minute(client, demo, engine, clock):
    login_as(client, "client")
    (row,) = _rows(engine)
    clock.now += 30
    client.get("/oma/valtuutukset")
    assert _rows(engine)[0].seen_at == row.seen_at  # a page that only reads writes nothing
    clock.now += 60
    client.get("/oma/valtuutukset")
    assert _rows(engine)[0].seen_at == clock.now
