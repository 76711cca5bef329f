"""The language picked before logging in is kept after it and stored for the user; a language
cookie a previous user left on a shared computer does not override the next user's own."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.i18n import LOCALE_COOKIE
from app.i18n.cookie import CHOSEN_COOKIE
from app.models.user import User
from tests.support.web import form_post, login_as


def _stored(engine: Engine, persona: str) -> str | None:
    with Session(engine) as s:
        return s.exec(select(User.locale).where(User.dev_persona == persona)).one()


def test_language_picked_before_login_is_kept_and_stored(
    client: TestClient, demo: None, engine: Engine
) -> None:
    assert _stored(engine, "client") == "fi"
    picked = client.get("/lang/sv", params={"next": "/login"})
    chosen = [c for c in picked.headers.get_list("set-cookie") if c.startswith(CHOSEN_COOKIE)]
    assert chosen and "max-age" not in chosen[0].lower()  # ends with the browser session
    assert "expires" not in chosen[0].lower()
    login_as(client, "client")
    assert client.get("/oma/budjetti").headers["content-language"] == "sv"
    assert _stored(engine, "client") == "sv"
    assert CHOSEN_COOKIE not in client.cookies  # used once: the next login starts afresh


def test_an_old_language_cookie_does_not_override_the_users_choice(
    client: TestClient, demo: None, engine: Engine
) -> None:
    """Erik chose Swedish last year on this computer; Aino, who reads Finnish, logs in."""
    client.cookies.set(LOCALE_COOKIE, "sv")
    assert client.get("/").headers["content-language"] == "sv"  # before login: the cookie
    login_as(client, "client")
    assert client.get("/oma/budjetti").headers["content-language"] == "fi"
    assert _stored(engine, "client") == "fi"


def test_a_choice_ends_at_logout_so_the_next_user_gets_their_own(
    client: TestClient, demo: None, engine: Engine
) -> None:
    login_as(client, "client-sv")  # Erik reads Swedish ...
    client.get("/lang/en")  # ... picks English while logged in: stored for him
    assert _stored(engine, "client-sv") == "en"
    assert form_post(client, "/logout").status_code == 303
    assert CHOSEN_COOKIE not in client.cookies
    login_as(client, "client")  # Aino on the same browser, without picking anything
    assert client.get("/oma/budjetti").headers["content-language"] == "fi"
    assert _stored(engine, "client") == "fi"
