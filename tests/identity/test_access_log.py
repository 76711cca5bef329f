"""The access log: the client's page, the admin search, append-only storage, verify CLI."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from app.models.audit import AuditAction, AuditEvent
from tests.identity.conftest import persona
from tests.support.web import login_as

FI = {"Accept-Language": "fi"}
SV = {"Accept-Language": "sv"}


def _events(engine) -> list[AuditEvent]:
    with Session(engine) as s:
        return list(s.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all())


def test_client_sees_who_looked_in_their_language(client, demo, engine):
    with Session(engine) as s:
        aino = persona(s, "client")
    login_as(client, "case-worker")
    assert client.get(f"/asiakkaat/{aino.id}/valtuutukset").status_code == 200
    login_as(client, "client")
    page = client.get("/oma/lokitiedot", headers=FI)
    assert page.status_code == 200
    assert "Sari Mäkinen" in page.text
    assert "Omatyöntekijä (asiakassuhde)" in page.text and "Katsoi: valtuutukset" in page.text
    page_sv = client.get("/lang/sv?next=/oma/lokitiedot")
    assert page_sv.status_code == 303
    page_sv = client.get("/oma/lokitiedot")
    assert "Tittade på: fullmakter" in page_sv.text


def test_client_does_not_see_other_clients_events(client, demo, engine):
    with Session(engine) as s:
        aino = persona(s, "client")
    login_as(client, "client-sv")
    before = client.get("/oma/lokitiedot").text
    login_as(client, "case-worker")
    client.get(f"/asiakkaat/{aino.id}/valtuutukset")
    login_as(client, "client-sv")
    after = client.get("/oma/lokitiedot").text
    # Aino's mandate page being read adds a row to Aino's log, never to Astrid's.
    assert after.count("<tr") == before.count("<tr")
    login_as(client, "client")
    assert "Sari Mäkinen" in client.get("/oma/lokitiedot").text


def test_admin_search_is_scoped_and_itself_logged(client, demo, engine):
    with Session(engine) as s:
        aino = persona(s, "client")
        pekka = persona(s, "admin")
    login_as(client, "case-worker")
    client.get(f"/asiakkaat/{aino.id}/valtuutukset")
    login_as(client, "admin")
    form = client.get("/hallinto/lokitiedot", headers=FI)
    assert form.status_code == 200 and "Aino Virtanen" in form.text
    before = len(_events(engine))
    result = client.get(
        f"/hallinto/lokitiedot?haku=1&client={aino.id}&actor=Sari&from=2000-01-01&to=2999-12-31",
        headers=FI,
    )
    assert result.status_code == 200 and "Sari Mäkinen" in result.text
    events = _events(engine)
    with Session(engine) as s:
        sari = persona(s, "case-worker")
    by_sari = [e for e in events if e.subject_id == aino.id and e.actor_id == sari.id]
    assert by_sari and f"{len(by_sari)} tapahtuma" in result.text
    assert "Pyynnön tunnus" in result.text
    assert len(events) == before + 1
    search = events[-1]
    assert search.action == AuditAction.search and search.actor_id == pekka.id
    assert search.subject_id == aino.id and search.details["actor_name"] == "Sari"
    nothing = client.get("/hallinto/lokitiedot?haku=1&actor=Nobody", headers=FI)
    assert "0 tapahtumaa" in nothing.text


def test_admin_search_rejects_bad_input_and_foreign_clients(client, demo):
    login_as(client, "admin")
    bad = client.get("/hallinto/lokitiedot?haku=1&from=31.13.2026&client=999999", headers=FI)
    assert bad.status_code == 422
    assert "31.13.2026" in bad.text and "error-summary" in bad.text


# The append-only trigger is PostgreSQL's; on SQLite the hash chain reveals any change.
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_the_app_cannot_update_or_delete_audit_rows_on_postgres(engine, demo, client):
    assert engine.dialect.name == "postgresql"
    with Session(engine) as s:
        aino = persona(s, "client")
    login_as(client, "case-worker")
    client.get(f"/asiakkaat/{aino.id}/valtuutukset")
    for sql in ("UPDATE audit_event SET category = 'x'", "DELETE FROM audit_event"):
        with Session(engine) as s, pytest.raises(DBAPIError, match="append-only"):
            s.execute(text(sql))
            s.commit()
    assert _events(engine)


def test_verify_command_detects_a_tampered_row(engine, demo, client, monkeypatch):
    from app import cli
    from app.config import get_settings
    from app.db import get_engine

    with Session(engine) as s:
        aino = persona(s, "client")
    login_as(client, "case-worker")
    client.get(f"/asiakkaat/{aino.id}/valtuutukset")
    client.get(f"/asiakkaat/{aino.id}/valtuutukset")
    monkeypatch.setenv("HEBU_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        runner = CliRunner()
        ok = runner.invoke(cli.app, ["audit", "verify"])
        assert ok.exit_code == 0, ok.output
        with Session(engine) as s:
            postgres = engine.dialect.name == "postgresql"
            if postgres:
                s.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"))
            first = _events(engine)[0].id
            s.execute(text(f"UPDATE audit_event SET category = 'budget' WHERE id = {first}"))
            s.commit()
        broken = runner.invoke(cli.app, ["audit", "verify"])
        assert broken.exit_code == 1
        assert f"audit event {first}" in broken.output
    finally:
        get_engine().dispose()
        get_settings.cache_clear()
        get_engine.cache_clear()
