"""Sessions: idle timeout with an extendable warning, absolute lifetime, log out everywhere."""

import pytest

from app.services.identity import sessions
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
    assert second_client.get("/oma/valtuutukset").status_code == 303
    login_as(second_client, "client")  # a new login works again
    assert second_client.get("/oma/valtuutukset").status_code == 200


def test_a_session_cookie_without_timestamps_is_not_accepted(settings):
    from app.models.user import User

    assert not sessions.is_current({"uid": 3}, User(display_name="x"), settings)
