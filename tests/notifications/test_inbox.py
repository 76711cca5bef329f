"""The inbox: unread count in the header (announced), newest first, a link each, mark read
as a plain form, filter by kind, only one's own; and the channel settings page."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models.assessment import Assessment, AssessmentStatus
from app.models.notification import Notification, NotificationOutbox
from app.services.notifications import contact, preferences, service
from app.services.notifications.kinds import Kind
from tests.support.budget_world import BudgetWorld, build
from tests.support.web import form_post, login_as

EN = {"Accept-Language": "en"}


def _world(session: Session) -> BudgetWorld:
    world = build(session)
    world.client.dev_persona = "n-client"
    world.case_worker.dev_persona = "n-worker"
    world.frame(100_000)  # the client is told: frame_set
    service.notify(session, [world.client.id], Kind.budget_used, "t:used", "/oma/budjetti",
                   percent=75)  # fmt: skip
    service.notify(session, [world.case_worker.id], Kind.overdraw, "t:over", "/asiakkaat")
    session.commit()
    return world


def _unread_in_header(html: str) -> str | None:
    found = re.search(r'<span class="visually-hidden">: ([^<]*unread)</span>', html)
    return found.group(1) if found else None


def test_unread_count_list_and_mark_read(client: TestClient, session: Session) -> None:
    _world(session)
    used = select(Notification).where(Notification.kind == Kind.budget_used)
    note_id = session.exec(used).one().id
    session.commit()  # end the read: SQLite transactions take the write lock
    login_as(client, "n-client")
    page = client.get("/ilmoitukset", headers=EN).text
    assert _unread_in_header(page) == "2 unread"
    newest = page.index("You have used 75 % of your budget.")
    assert newest < page.index("Your budget frame was set or changed.")  # newest first
    assert '<a href="/oma/budjetti">You have used 75 % of your budget.</a>' in page
    assert "overdraw" not in page and "went over the budget" not in page  # not the worker's
    response = form_post(client, f"/ilmoitukset/{note_id}/luettu")
    assert response.status_code == 303 and response.headers["location"] == "/ilmoitukset"
    assert _unread_in_header(client.get("/ilmoitukset", headers=EN).text) == "1 unread"
    form_post(client, "/ilmoitukset/luettu")
    assert _unread_in_header(client.get("/ilmoitukset", headers=EN).text) is None


def test_filter_by_kind(client: TestClient, session: Session) -> None:
    _world(session)
    login_as(client, "n-client")
    page = client.get("/ilmoitukset?laji=frame_set", headers=EN).text
    assert "Your budget frame was set or changed." in page
    assert "You have used 75 %" not in page


def test_someone_elses_notification_is_not_found(client: TestClient, session: Session) -> None:
    world = _world(session)
    theirs = session.exec(
        select(Notification).where(Notification.user_id == world.case_worker.id)
    ).one()
    session.commit()
    login_as(client, "n-client")
    assert form_post(client, f"/ilmoitukset/{theirs.id}/luettu").status_code == 404
    session.refresh(theirs)
    assert theirs.read_at is None


def test_the_list_is_in_the_readers_language(client: TestClient, session: Session) -> None:
    _world(session)
    login_as(client, "n-client")
    page = client.get("/ilmoitukset", headers={"Accept-Language": "sv"}).text
    assert "Du har använt 75 % av din budget." in page


def test_settings_choose_channels_per_kind(client: TestClient, session: Session) -> None:
    world = _world(session)
    world.client.email = "aino@example.fi"
    session.add(world.client)
    session.commit()
    login_as(client, "n-client")
    page = client.get("/ilmoitukset/asetukset", headers=EN).text
    assert 'name="email_frame_set" aria-labelledby="kind-frame_set mail-frame_set" checked' in page
    posted = {"sms_frame_set": "on", "phone": "040 123 4567"}
    response = form_post(client, "/ilmoitukset/asetukset", posted)
    assert response.status_code == 303
    session.expire_all()
    assert preferences.extra_channels(session, world.client.id, Kind.frame_set) == ["sms"]  # type: ignore[arg-type]
    assert preferences.extra_channels(session, world.client.id, Kind.budget_used) == []  # type: ignore[arg-type]
    service.notify(session, [world.client.id], Kind.frame_set, "t:again")
    session.flush()
    rows = session.exec(select(NotificationOutbox.channel)).all()
    assert rows == ["sms"]


def test_default_follows_the_service_use_profile(session: Session) -> None:
    world = build(session)
    world.client.email = "aino@example.fi"
    assert preferences.extra_channels(session, world.client.id, Kind.frame_set) == ["email"]  # type: ignore[arg-type]
    session.add(
        Assessment(
            client_id=world.client.id,  # type: ignore[arg-type]
            instrument_key="profile",
            instrument_version=1,
            status=AssessmentStatus.submitted,
            answers={"channels": ["phone", "in_person"]},
        )
    )
    session.flush()
    # By phone, but no number saved: no text message (and no e-mail against the wish).
    assert preferences.extra_channels(session, world.client.id, Kind.frame_set) == []  # type: ignore[arg-type]
    contact.save(session, world.client.id, "040 123 4567", False, False)  # type: ignore[arg-type]
    assert preferences.extra_channels(session, world.client.id, Kind.frame_set) == ["sms"]  # type: ignore[arg-type]
