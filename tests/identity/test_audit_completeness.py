"""Every read of a client's data by someone else writes exactly one audit event, shown to them."""

import pytest
from sqlmodel import Session, col, select

from app.models.audit import AuditAction, AuditEvent
from tests.identity.conftest import mandate_between, persona
from tests.support.web import form_post, login_as

FI = {"Accept-Language": "fi"}

# (who reads, acting for the client?, URL template with {client_id})
READS = [
    ("case-worker", False, "/asiakkaat/{client_id}/valtuutukset"),
    ("assistant", True, "/oma/valtuutukset"),
]


def _last_id(engine) -> int:
    with Session(engine) as s:
        last = s.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first()
        return last or 0


@pytest.mark.parametrize(("reader", "acting", "url"), READS)
def test_a_read_writes_exactly_one_event_and_the_client_sees_it(
    client, demo, engine, reader, acting, url
):
    with Session(engine) as s:
        aino, who = persona(s, "client"), persona(s, reader)
        mandate = mandate_between(s, "client", "assistant")
    login_as(client, reader)
    if acting:
        form_post(client, f"/avustaja/toimi/{mandate.id}")
    before = _last_id(engine)
    assert client.get(url.format(client_id=aino.id)).status_code == 200
    with Session(engine) as s:
        new = s.exec(select(AuditEvent).where(AuditEvent.id > before)).all()
    assert len(new) == 1
    event = new[0]
    assert event.action == AuditAction.read and event.subject_id == aino.id
    assert event.actor_id == who.id
    assert event.on_behalf_of_id == (aino.id if acting else None)
    login_as(client, "client")
    log = client.get("/oma/lokitiedot", headers=FI)
    assert who.display_name in log.text
    assert f'datetime="{event.occurred_at.isoformat()}' in log.text


def test_the_clients_own_reads_are_not_logged(client, demo, engine):
    login_as(client, "client")
    before = _last_id(engine)
    assert client.get("/oma/valtuutukset").status_code == 200
    assert client.get("/oma/lokitiedot").status_code == 200
    assert _last_id(engine) == before
