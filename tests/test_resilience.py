"""Resilience: the search engine or the database dies mid-request.

The user gets a clear, translated page; nothing is half-written (the request's transaction
rolls back as a whole); and the app serves normally again once the dependency is back.
"""

from __future__ import annotations

import socket
import sqlite3
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.models.ledger import Delivery, DeliveryStatus
from app.models.user import User
from app.services import search
from app.services.budget import ledger
from tests.support.web import form_post, login_as


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again: nothing listens there


def test_search_engine_down_then_back(client: TestClient, demo: None) -> None:
    healthy = client.get("/palvelut", params={"q": "siivous"})
    assert healthy.status_code == 200
    assert "Haku toimii nyt yksinkertaisemmin" not in healthy.text

    search.configure(f"http://127.0.0.1:{_dead_port()}", "key")
    try:
        page = client.get("/palvelut", params={"q": "siivous"})
        assert page.status_code == 200
        # Finnish by default: a clear note, and the database still answers the search.
        assert "Haku toimii nyt yksinkertaisemmin" in page.text
        assert 'class="card result"' in page.text
        sv = client.get("/palvelut", params={"q": "städ"}, headers={"Accept-Language": "sv"})
        assert sv.status_code == 200
        assert "Sökningen fungerar just nu på ett enklare sätt" in sv.text
        api = client.get("/api/v1/catalogue/search", params={"q": "siivous"})
        assert api.status_code == 200 and api.json()["degraded"] is True
    finally:
        search.configure(None)

    back = client.get("/palvelut", params={"q": "siivous"})
    assert back.status_code == 200
    assert "Haku toimii nyt yksinkertaisemmin" not in back.text


def test_embedded_engine_raising_degrades(
    client: TestClient, demo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services.search.embedded import EmbeddedEngine

    def broken(self: Any, query: Any) -> Any:
        raise RuntimeError("index file vanished")

    monkeypatch.setattr(EmbeddedEngine, "search", broken)
    page = client.get("/palvelut", params={"q": "fysioterapia"})
    assert page.status_code == 200
    assert "Haku toimii nyt yksinkertaisemmin" in page.text


class DatabaseKiller:
    """Kills the database connection at the first audit write that follows a ledger write,
    i.e. in the middle of confirming a delivery (ledger row and status already flushed).

    PostgreSQL: the backend serving the request is really terminated (pg_terminate_backend).
    SQLite (embedded, no server to kill): the driver reports a disk I/O error.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.armed = False
        self.fired = False
        self._after_ledger = False
        event.listen(engine, "before_cursor_execute", self._before)

    def remove(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)

    def _before(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not self.armed:
            return
        sql = statement.lstrip().upper()
        if sql.startswith("INSERT INTO LEDGER_ENTRY"):
            self._after_ledger = True
            return
        if not (self._after_ledger and sql.startswith("INSERT INTO AUDIT_EVENT")):
            return
        self.armed, self.fired = False, True
        if self.engine.dialect.name == "postgresql":
            pid = conn.connection.dbapi_connection.info.backend_pid
            admin = create_engine(self.engine.url, isolation_level="AUTOCOMMIT")
            with admin.connect() as killer:
                killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            admin.dispose()
            return  # the statement now runs on a dead connection
        raise sqlite3.OperationalError("disk I/O error")


def _reported_delivery(session: Session) -> tuple[User, Delivery]:
    aino = session.exec(select(User).where(User.dev_persona == "client")).one()
    delivery = session.exec(
        select(Delivery).where(Delivery.status == DeliveryStatus.reported)
    ).first()
    session.commit()
    assert delivery is not None, "the demo has a reported delivery for the client"
    return aino, delivery


def _state(engine: Engine, delivery_id: int) -> tuple[str, int, int]:
    with engine.connect() as conn:
        status = conn.execute(
            text("SELECT status FROM delivery WHERE id = :id"), {"id": delivery_id}
        ).scalar_one()
        entries = conn.execute(text("SELECT count(*) FROM ledger_entry")).scalar_one()
        audits = conn.execute(text("SELECT count(*) FROM audit_event")).scalar_one()
    return str(status), int(entries), int(audits)


def test_database_dies_mid_request_then_recovers(
    client: TestClient, demo: None, session: Session, engine: Engine
) -> None:
    _aino, delivery = _reported_delivery(session)
    login_as(client, "client")
    assert client.get("/oma/toimitukset").status_code == 200
    before = _state(engine, delivery.id)  # type: ignore[arg-type]

    killer = DatabaseKiller(engine)
    try:
        killer.armed = True
        response = form_post(client, f"/oma/toimitukset/{delivery.id}/vahvista")
        assert killer.fired
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
        assert response.headers["Content-Language"] == "fi"
        assert "Palvelu on tilapäisesti poissa käytöstä" in response.text
        assert "Mitään ei tallennettu" in response.text
        # Nothing half-written: no ledger row, status unchanged, no audit row.
        assert _state(engine, delivery.id) == before  # type: ignore[arg-type]

        # HTMX callers get the same message as a toast.
        killer.armed, killer._after_ledger = True, False
        toast = form_post(
            client, f"/oma/toimitukset/{delivery.id}/vahvista", headers={"HX-Request": "true"}
        )
        assert toast.status_code == 503
        assert toast.headers.get("HX-Retarget") == "#toasts"
        assert "Mitään ei tallennettu" in toast.text
        assert _state(engine, delivery.id) == before  # type: ignore[arg-type]
    finally:
        killer.remove()

    # The database is back: the same click works, and the ledger reconciles.
    assert client.get("/oma/toimitukset").status_code == 200
    response = form_post(client, f"/oma/toimitukset/{delivery.id}/vahvista")
    assert response.status_code == 303, response.text[-2000:]
    status, entries, _audits = _state(engine, delivery.id)  # type: ignore[arg-type]
    assert status == DeliveryStatus.confirmed.value
    assert entries > before[1]
    with Session(engine) as s:
        assert ledger.verify(s) == []


def test_database_unreachable_gives_a_translated_page(
    client: TestClient, demo: None, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every new connection fails (the server is down): a clear page in the user's language."""
    login_as(client, "client")
    client.get("/lang/sv")  # the user picks Swedish (the language switch sets the cookie)
    engine.dispose()

    def refuse(*args: Any, **kwargs: Any) -> Any:
        if engine.dialect.name == "postgresql":
            import psycopg

            raise psycopg.OperationalError("connection refused")
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(engine.dialect, "connect", refuse)
    page = client.get("/oma/saldo")
    assert page.status_code == 503
    assert page.headers["Content-Language"] == "sv"
    assert "Försök igen" in page.text or "försök igen" in page.text
    monkeypatch.undo()
    assert client.get("/oma/saldo").status_code == 200
