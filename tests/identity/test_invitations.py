"""Provider owners invite colleagues: single-use expiring links, only a hash stored."""

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.config import Environment
from app.main import create_app
from app.models.base import utcnow
from app.models.identity import ProviderInvitation, SentMail
from app.models.provider import Provider
from app.models.user import Membership, Role, User
from tests.support.web import form_post, login_as

FI = {"Accept-Language": "fi"}


def _owner(engine) -> int:
    with Session(engine) as s:
        provider = Provider(name="Apu Oy", business_id="1234567-1")
        owner = User(display_name="Olli Omistaja", dev_persona="test-owner")
        newcomer = User(
            display_name="Uusi Kollega", dev_persona="test-newcomer", email="uusi@example.fi"
        )
        holder = User(display_name="Linkin Haltija", dev_persona="test-holder", email="x@b.fi")
        s.add_all([provider, owner, newcomer, holder])
        s.flush()
        s.add(Membership(user_id=owner.id, role=Role.provider_owner, provider_id=provider.id))
        s.commit()
        return provider.id


def _invite(client, engine) -> tuple[int, str]:
    provider_id = _owner(engine)
    login_as(client, "test-owner")
    sent = form_post(
        client, "/tuottaja/kutsut", {"provider_id": provider_id, "email": "Uusi@Example.fi"}
    )
    assert sent.status_code == 303
    with Session(engine) as s:
        mail = s.exec(select(SentMail)).one()
    assert mail.to == "uusi@example.fi"
    token = re.search(r"/kutsu\?t=([\w-]+)", mail.body).group(1)
    return provider_id, token


def test_invitee_logs_in_and_joins_as_editor_once(client, demo, engine):
    provider_id, token = _invite(client, engine)
    with Session(engine) as s:
        stored = s.exec(select(ProviderInvitation)).one()
        assert token not in stored.token_hash and len(stored.token_hash) == 64
    client.cookies.clear()
    page = client.get(f"/kutsu?t={token}", headers=FI)
    assert page.status_code == 200 and "Apu Oy" in page.text and "/login?next=" in page.text
    login_as(client, "test-newcomer")
    assert form_post(client, "/kutsu", {"t": token}).status_code == 303
    with Session(engine) as s:
        newcomer = s.exec(select(User).where(User.dev_persona == "test-newcomer")).one()
        roles = s.exec(select(Membership).where(Membership.user_id == newcomer.id)).all()
        assert [(m.role, m.provider_id) for m in roles] == [(Role.provider_editor, provider_id)]
    again = form_post(client, "/kutsu", {"t": token}, headers=FI)
    assert again.status_code == 410 and "on jo käytetty" in again.text


def test_someone_else_holding_the_link_cannot_accept_it(client, demo, engine):
    _provider_id, token = _invite(client, engine)
    for persona in ("test-holder", "test-owner", "case-worker"):  # other or no address
        login_as(client, persona)
        refused = form_post(client, "/kutsu", {"t": token}, headers=FI)
        assert refused.status_code == 403 and "toiseen sähköpostiosoitteeseen" in refused.text
    with Session(engine) as s:
        assert s.exec(select(ProviderInvitation)).one().used_at is None
        holder = s.exec(select(User).where(User.dev_persona == "test-holder")).one()
        assert s.exec(select(Membership).where(Membership.user_id == holder.id)).all() == []
    login_as(client, "test-newcomer")
    assert form_post(client, "/kutsu", {"t": token}).status_code == 303


def test_expired_and_unknown_links_give_a_clear_page(client, demo, engine):
    _provider_id, token = _invite(client, engine)
    with Session(engine) as s:
        invitation = s.exec(select(ProviderInvitation)).one()
        invitation.expires_at = utcnow() - timedelta(minutes=1)
        s.add(invitation)
        s.commit()
    expired = client.get(f"/kutsu?t={token}", headers=FI)
    assert expired.status_code == 410 and "vanhentunut" in expired.text
    unknown = client.get("/kutsu?t=nonsense", headers=FI)
    assert unknown.status_code == 410 and 'href="/"' in unknown.text


def test_owner_cannot_invite_to_someone_elses_provider_and_bad_email_is_kept(client, demo, engine):
    _owner(engine)
    with Session(engine) as s:
        other = Provider(name="Muu Oy", business_id="7654321-2")
        s.add(other)
        s.commit()
        other_id = other.id
    login_as(client, "test-owner")
    assert (
        form_post(client, "/tuottaja/kutsut", {"provider_id": other_id, "email": "a@b.fi"})
    ).status_code == 404
    bad = form_post(client, "/tuottaja/kutsut", {"provider_id": other_id, "email": "not-mail"})
    assert bad.status_code == 422 and "not-mail" in bad.text


def test_dev_mail_page_only_in_development(client, demo, engine, settings):
    _invite(client, engine)
    assert client.get("/dev/mail").status_code == 404
    dev = settings.model_copy(update={"environment": Environment.development})
    with TestClient(create_app(dev, engine), follow_redirects=False) as web:
        assert web.get("/dev/mail", headers=FI).status_code == 404  # anonymous
        for persona in ("test-owner", "client", "provider-owner"):  # not staff: no links shown
            login_as(web, persona)
            assert web.get("/dev/mail", headers=FI).status_code == 404
        login_as(web, "case-worker")
        page = web.get("/dev/mail", headers=FI)
    assert page.status_code == 200 and "uusi@example.fi" in page.text
