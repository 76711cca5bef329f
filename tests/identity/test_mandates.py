"""Mandates: the client gives and revokes, the assistant acts, the case worker registers paper."""

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from app.models.audit import AuditEvent
from app.models.mandate import Mandate
from app.models.user import Membership, Role
from app.services.identity.mandates import today
from tests.identity.conftest import mandate_between, persona
from tests.support.web import form_post, login_as

FI = {"Accept-Language": "fi"}


def test_client_sees_all_mandates_with_status(client, demo):
    login_as(client, "client")
    page = client.get("/oma/valtuutukset", headers=FI)
    assert page.status_code == 200
    assert "Mikko Korhonen" in page.text and "Voimassa" in page.text
    login_as(client, "client-sv")
    page = client.get("/oma/valtuutukset")
    assert "Mikko Korhonen" in page.text and "Har gått ut" in page.text


def test_client_gives_a_mandate_and_bad_input_is_kept(client, demo, engine):
    login_as(client, "client-sv")
    with Session(engine) as s:
        assistant = persona(s, "assistant")
    until = (today() + timedelta(days=30)).isoformat()
    bad = form_post(
        client, "/oma/valtuutukset", {"assistant_id": assistant.id, "valid_until": until}
    )
    assert bad.status_code == 422
    assert until in bad.text and "aria-invalid" not in bad.text.split("f-valid_until")[0][-5:]
    assert "f-scopes-error" in bad.text
    ok = form_post(
        client,
        "/oma/valtuutukset",
        {"assistant_id": assistant.id, "scopes": ["view", "plan"], "valid_until": until},
    )
    assert ok.status_code == 303
    with Session(engine) as s:
        client_sv = persona(s, "client-sv")
        live = s.exec(
            select(Mandate).where(
                Mandate.client_user_id == client_sv.id, col(Mandate.revoked_at).is_(None)
            )
        ).all()
        assert any(m.scopes == ["view", "plan"] and not m.registered_on_paper for m in live)


def test_past_date_is_refused(client, demo, engine):
    login_as(client, "client")
    with Session(engine) as s:
        assistant = persona(s, "assistant")
    past = (today() - timedelta(days=1)).isoformat()
    response = form_post(
        client,
        "/oma/valtuutukset",
        {"assistant_id": assistant.id, "scopes": ["view"], "valid_until": past},
        headers=FI,
    )
    assert response.status_code == 422
    assert "Viimeinen päivä ei voi olla menneisyydessä." in response.text


def test_assistant_acts_with_banner_on_every_page_and_stops(client, demo, engine):
    with Session(engine) as s:
        mandate = mandate_between(s, "client", "assistant")
    login_as(client, "assistant")
    home = client.get("/avustaja", headers=FI)
    assert "Aino Virtanen" in home.text and "Erik Lindqvist" not in home.text
    assert form_post(client, f"/avustaja/toimi/{mandate.id}").status_code == 303
    for path in ("/", "/saavutettavuus", "/avustaja"):
        page = client.get(path, headers=FI)
        assert "banner-acting" in page.text and "Aino Virtanen" in page.text
    assert form_post(client, "/avustaja/lopeta").status_code == 303
    assert "banner-acting" not in client.get("/", headers=FI).text


def test_expired_mandate_cannot_be_used(client, demo, engine):
    with Session(engine) as s:
        expired = mandate_between(s, "client-sv", "assistant")
    login_as(client, "assistant")
    response = form_post(client, f"/avustaja/toimi/{expired.id}", headers=FI)
    assert response.status_code == 409
    assert "ei ole enää voimassa" in response.text


@pytest.mark.parametrize("change", ["removed", "moved"])
def test_acting_ends_when_the_assistant_role_is_removed_or_moved(client, demo, engine, change):
    """A live mandate is not enough: the user must still be an HB assistant of the client's
    organiser, checked on every request."""
    with Session(engine) as s:
        mandate = mandate_between(s, "client", "assistant")
    login_as(client, "assistant")
    assert form_post(client, f"/avustaja/toimi/{mandate.id}").status_code == 303
    assert client.get("/oma/budjetti", headers=FI).status_code == 200
    with Session(engine) as s:
        role = s.exec(
            select(Membership).where(
                Membership.user_id == mandate.assistant_user_id, Membership.role == Role.assistant
            )
        ).one()
        if change == "removed":
            s.delete(role)
        else:
            role.organiser_id = None
            s.add(role)
        s.commit()
    refused = client.get("/oma/budjetti", headers=FI)
    assert refused.status_code == 409
    assert "päättynyt tai se on peruttu" in refused.text
    # Starting to act again: no longer an assistant at all (403), or not of this client's
    # organiser (the mandate is not live for them: 409).
    again = form_post(client, f"/avustaja/toimi/{mandate.id}", headers=FI)
    assert again.status_code == (403 if change == "removed" else 409)


def test_revoking_mid_way_refuses_the_assistant_cleanly(client, second_client, demo, engine):
    with Session(engine) as s:
        mandate = mandate_between(s, "client", "assistant")
    login_as(client, "assistant")
    form_post(client, f"/avustaja/toimi/{mandate.id}")
    login_as(second_client, "client")
    assert form_post(second_client, f"/oma/valtuutukset/{mandate.id}/peru").status_code == 303
    refused = client.get("/", headers=FI)
    assert refused.status_code == 409
    assert "päättynyt tai se on peruttu" in refused.text
    after = client.get("/avustaja", headers=FI)
    assert after.status_code == 200 and "banner-acting" not in after.text
    assert "Aino Virtanen" not in after.text


def test_revoked_mid_way_a_background_check_does_not_hide_the_reason(
    client, second_client, demo, engine
):
    """The live plan check (HTMX) is refused first; the form sent next still says why."""
    with Session(engine) as s:
        mandate = mandate_between(s, "client", "assistant")
    login_as(client, "assistant")
    form_post(client, f"/avustaja/toimi/{mandate.id}")
    login_as(second_client, "client")
    assert form_post(second_client, f"/oma/valtuutukset/{mandate.id}/peru").status_code == 303
    toast = client.get("/", headers={**FI, "HX-Request": "true"})
    assert toast.status_code == 409 and "päättynyt tai se on peruttu" in toast.text
    refused = client.get("/oma/valtuutukset", headers=FI)
    assert refused.status_code == 409
    assert "päättynyt tai se on peruttu" in refused.text
    assert "banner-acting" not in client.get("/avustaja", headers=FI).text


def test_acting_is_recorded_with_actor_and_on_behalf_of(client, demo, engine):
    with Session(engine) as s:
        mandate = mandate_between(s, "client", "assistant")
        aino, mikko = persona(s, "client"), persona(s, "assistant")
    login_as(client, "assistant")
    form_post(client, f"/avustaja/toimi/{mandate.id}")
    with Session(engine) as s:
        event = s.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
        assert event is not None
        assert (event.actor_id, event.on_behalf_of_id, event.subject_id) == (
            mikko.id,
            aino.id,
            aino.id,
        )
    login_as(client, "client")
    log = client.get("/oma/lokitiedot", headers=FI)
    assert "Mikko Korhonen" in log.text and "Puolestasi" in log.text


def test_case_worker_registers_a_paper_mandate(client, demo, engine):
    with Session(engine) as s:
        aino, mikko = persona(s, "client"), persona(s, "assistant")
    login_as(client, "case-worker")
    page = client.get(f"/asiakkaat/{aino.id}/valtuutukset", headers=FI)
    assert page.status_code == 200 and "paperilomakkeella" in page.text
    until = (today() + timedelta(days=10)).isoformat()
    response = form_post(
        client,
        f"/asiakkaat/{aino.id}/valtuutukset",
        {
            "assistant_id": mikko.id,
            "scopes": ["deliveries"],
            "valid_until": until,
            "note": "Arkisto",
        },
    )
    assert response.status_code == 303
    with Session(engine) as s:
        paper = s.exec(select(Mandate).where(col(Mandate.registered_on_paper).is_(True))).one()
        assert paper.client_user_id == aino.id and paper.paper_note == "Arkisto"
    login_as(client, "client")
    assert "paperilomakkeesta" in client.get("/oma/valtuutukset", headers=FI).text


def test_case_worker_outside_caseload_gets_404(client, demo, engine):
    with Session(engine) as s:
        aino = persona(s, "client")
    login_as(client, "admin")
    assert client.get(f"/asiakkaat/{aino.id}/valtuutukset").status_code == 403
    login_as(client, "client")
    assert client.get(f"/asiakkaat/{aino.id}/valtuutukset").status_code == 403
