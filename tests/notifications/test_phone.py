"""The phone number on the notification settings page: Finnish numbers as people type them
become E.164, a wrong one is refused with a translated error that keeps what was typed,
text messages can be chosen only with a number, and the daily summary only by staff."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.services.notifications import contact, preferences
from app.services.notifications.kinds import Kind
from tests.support.budget_world import BudgetWorld, build
from tests.support.web import form_post, login_as

PAGE = "/ilmoitukset/asetukset"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("040 123 4567", "+358401234567"),
        ("040-1234567", "+358401234567"),
        ("+358 40 123 4567", "+358401234567"),
        ("00358 40 123 4567", "+358401234567"),
        ("(09) 123 4567", "+35891234567"),
        ("+46 70 123 45 67", "+46701234567"),
        ("  ", None),
    ],
)
def test_numbers_as_typed_become_e164(typed: str, stored: str | None) -> None:
    assert contact.normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "typed", ["12345", "040 12", "+358 040 123 4567", "puhelin", "٠٤٠١٢٣٤٥٦٧", "+1234567890123456"]
)
def test_what_is_no_number_is_refused(typed: str) -> None:
    with pytest.raises(contact.PhoneInvalid):
        contact.normalise_phone(typed)


def _world(session: Session) -> BudgetWorld:
    world = build(session)
    world.client.dev_persona, world.case_worker.dev_persona = "p-client", "p-worker"
    world.client.email = "aino@example.fi"
    session.add_all([world.client, world.case_worker])
    session.commit()
    return world


def test_a_wrong_number_keeps_what_was_typed_and_saves_nothing(
    client: TestClient, session: Session
) -> None:
    world = _world(session)
    login_as(client, "p-client")
    page = client.get(PAGE).text
    assert (
        'name="sms_frame_set"' in page
        and 'name="sms_frame_set" aria-labelledby="kind-frame_set sms-frame_set" disabled' in page
    )
    refused = form_post(client, PAGE, {"phone": "040 12x", "sms_frame_set": "on"})
    assert refused.status_code == 422
    assert "Kirjoita puhelinnumero" in refused.text and 'value="040 12x"' in refused.text
    assert 'aria-invalid="true"' in refused.text
    session.expire_all()
    assert contact.contact(session, world.client.id).phone is None  # type: ignore[arg-type]
    assert preferences.extra_channels(session, world.client.id, Kind.frame_set) == ["email"]  # type: ignore[arg-type]


def test_sms_only_with_a_number(client: TestClient, session: Session) -> None:
    world = _world(session)
    cid: int = world.client.id  # type: ignore[assignment]
    login_as(client, "p-client")
    form_post(client, PAGE, {"sms_frame_set": "on", "email_frame_set": "on"})
    session.expire_all()
    assert preferences.choice(session, cid, Kind.frame_set).sms is False  # no number: not kept
    saved = form_post(client, PAGE, {"phone": "040 123 4567", "sms_frame_set": "on"})
    assert saved.status_code == 303
    session.expire_all()
    assert contact.contact(session, cid).phone == "+358401234567"
    assert preferences.extra_channels(session, cid, Kind.frame_set) == ["sms"]
    page = client.get(PAGE).text
    assert 'value="+358401234567"' in page
    assert 'sms-frame_set" checked>' in page  # selectable now, and chosen
    form_post(client, PAGE, {"phone": "", "sms_frame_set": "on"})  # the number removed
    session.expire_all()
    assert preferences.extra_channels(session, cid, Kind.frame_set) == []


def test_the_daily_summary_is_offered_to_staff_only(client: TestClient, session: Session) -> None:
    world = _world(session)
    login_as(client, "p-client")
    assert 'name="email_digest"' not in client.get(PAGE).text
    login_as(client, "p-worker")
    assert 'name="email_digest"' in client.get(PAGE).text
    form_post(client, PAGE, {"email_digest": "on", "email_plan_submitted": "on"})
    session.expire_all()
    assert contact.digest_channels(session, world.case_worker.id) == {"email"}  # type: ignore[arg-type]
