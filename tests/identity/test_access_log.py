"""The access log: the client's page, the admin search, append-only storage, verify CLI."""

import re

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


def test_the_logs_page_back_through_every_event_with_a_stable_cursor(
    client, demo, engine, monkeypatch
):
    from app.models.actor import Actor
    from app.models.user import Membership
    from app.services.identity import access_log

    with Session(engine) as s:
        aino = persona(s, "client")
    login_as(client, "case-worker")
    for _ in range(access_log.PAGE_SIZE + 5):  # more reads of Aino's data than one page holds
        assert client.get(f"/asiakkaat/{aino.id}/valtuutukset").status_code == 200
    login_as(client, "client")
    seen: list[int] = []
    url = "/oma/lokitiedot"
    for _ in range(50):
        page = client.get(url, headers=FI)
        assert page.status_code == 200
        ids = [int(i) for i in re.findall(r'data-event="(\d+)"', page.text)]
        assert len(ids) <= access_log.PAGE_SIZE
        seen.extend(ids)
        older = re.search(r'href="(/oma/lokitiedot\?ennen=\d+)" rel="next"', page.text)
        if older is None:
            break
        assert "Uusimmat tapahtumat" in page.text or url == "/oma/lokitiedot"
        url = older.group(1)
    assert len(seen) > access_log.PAGE_SIZE  # more than one page was read
    assert len(seen) == len(set(seen))  # no event twice
    with Session(engine) as s:  # everything the log holds for her, read as one page
        memberships = tuple(s.exec(select(Membership).where(Membership.user_id == aino.id)))
        monkeypatch.setattr(access_log, "PAGE_SIZE", 100_000)
        whole = access_log.my_access_log(s, Actor(user=aino, memberships=memberships))
    assert seen == [row.event.id for row in whole.rows]  # none missed
    assert seen == sorted(seen, reverse=True)  # newest first throughout
    # A cursor that is not a number reads the newest page.
    assert client.get("/oma/lokitiedot?ennen=x%27").status_code == 200


def test_the_admin_search_pages_keep_the_search(client, demo, engine):
    from app.services.identity import access_log

    with Session(engine) as s:
        aino = persona(s, "client")
    login_as(client, "case-worker")
    for _ in range(access_log.PAGE_SIZE + 1):
        client.get(f"/asiakkaat/{aino.id}/valtuutukset")
    login_as(client, "admin")
    first = client.get(f"/hallinto/lokitiedot?haku=1&client={aino.id}", headers=FI)
    older = re.search(r'href="(/hallinto/lokitiedot\?[^"]*ennen=\d+)"', first.text)
    assert older is not None
    link = older.group(1).replace("&amp;", "&")
    assert f"client={aino.id}" in link and "haku=1" in link
    second = client.get(link, headers=FI)
    assert second.status_code == 200
    assert "Uusimmat tapahtumat" in second.text
