"""The request's unit of work commits before its response is sent.

An ASGI wrapper looks at the database from a connection of its own at the moment the response
starts: what the request changed (a new goal) and the audit row of what it read must already
be committed there. Were the commit to run after the response (a request-scoped yield
dependency), the browser could see a success the database then loses, and a read shown
before its audit row exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlmodel import Session, select

from app.models.user import User
from tests.support.web import form_post, login_as

GOAL = {
    "what": "Käyn uimassa kerran viikossa",
    "why": "Haluan liikkua",
    "steps": "Ostan uimakortin",
    "evidence": "Olen käynyt kuukauden",
    "level_m2": "En käy",
    "level_m1": "Käyn avustajan kanssa",
    "level_0": "Käyn itse kerran viikossa",
    "level_p1": "Käyn kahdesti viikossa",
    "level_p2": "Käyn joka päivä",
    "baseline_level": "-1",
    "target_level": "0",
}


class AtResponseStart:
    """Runs `probe` when the response to `path` starts, before anything is sent."""

    def __init__(self, app: Any, path: str, probe: Callable[[], int]) -> None:
        self.app, self.path, self.probe = app, path, probe
        self.seen: list[int] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def spy(message: Any) -> None:
            if message["type"] == "http.response.start" and scope.get("path") == self.path:
                self.seen.append(self.probe())
            await send(message)

        await self.app(scope, receive, spy)


@pytest.fixture
def outside(db_url: str) -> Iterator[Callable[[str, dict[str, Any]], int]]:
    """A count from a plain connection of its own: it sees only committed rows and, on SQLite
    (WAL, no BEGIN IMMEDIATE), does not wait for the request's write lock."""
    engine = create_engine(db_url)

    def count(sql: str, params: dict[str, Any]) -> int:
        with engine.connect() as conn:
            return int(conn.execute(text(sql), params).scalar_one())

    yield count
    engine.dispose()


def _persona(engine: Any, key: str) -> int:
    with Session(engine) as s:
        user_id = s.exec(select(User.id).where(User.dev_persona == key)).one()
    assert user_id is not None
    return user_id


def test_a_change_is_committed_before_its_response(app, demo, engine, outside) -> None:  # noqa: ANN001
    aino = _persona(engine, "client")
    goals = "SELECT count(*) FROM goal WHERE client_id = :c"
    spy = AtResponseStart(app, "/oma/tavoitteet/uusi", lambda: outside(goals, {"c": aino}))
    with TestClient(spy, follow_redirects=False) as client:
        login_as(client, "client")
        before = outside(goals, {"c": aino})
        response = form_post(client, "/oma/tavoitteet/uusi", GOAL)
    assert response.status_code == 303
    assert spy.seen == [before + 1]


def test_a_read_is_logged_and_committed_before_the_page(app, demo, engine, outside) -> None:  # noqa: ANN001
    aino, sari = _persona(engine, "client"), _persona(engine, "case-worker")
    path = "/asiakkaat/budjetit"
    reads = (
        "SELECT count(*) FROM audit_event WHERE actor_id = :a AND subject_id = :c"
        " AND action = 'read'"
    )
    spy = AtResponseStart(app, path, lambda: outside(reads, {"a": sari, "c": aino}))
    with TestClient(spy, follow_redirects=False) as client:
        login_as(client, "case-worker")
        before = outside(reads, {"a": sari, "c": aino})
        page = client.get(path)
    assert page.status_code == 200 and "Aino" in page.text
    assert spy.seen == [before + 1]
