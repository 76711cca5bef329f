"""Consent, my data, the case worker's research page and the admin's reports over HTTP."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models.audit import AuditEvent
from app.models.research import ConsentEvent
from app.models.user import User
from tests.support.web import form_post, login_as


def _user(session: Session, persona: str) -> User:
    user = session.exec(select(User).where(User.dev_persona == persona)).one()
    session.commit()  # end the read transaction: SQLite writers wait for it otherwise
    return user


def test_client_gives_and_withdraws_consent_and_takes_all_data(
    client: TestClient, demo: None, session: Session
) -> None:
    aino = _user(session, "client")
    login_as(client, "client")
    page = client.get("/oma/tutkimus")
    assert page.status_code == 200 and 'href="/tietojen-kaytto"' in page.text
    assert form_post(client, "/oma/tutkimus", {"given": "yes"}).status_code == 303
    assert form_post(client, "/oma/tutkimus", {"given": "no"}).status_code == 303
    assert form_post(client, "/oma/tutkimus", {"given": "maybe"}).status_code == 422
    events = session.exec(select(ConsentEvent).where(ConsentEvent.client_id == aino.id)).all()
    assert [(e.version, e.given) for e in events] == [(1, True), (2, False)]
    session.commit()
    data = client.get("/oma/tietoni.json")
    assert data.status_code == 200
    assert "attachment" in data.headers["content-disposition"]
    bundle = json.loads(data.text)
    assert bundle["profile"]["display_name"] == "Aino Virtanen"
    assert "hetu_hash" not in bundle["profile"]
    assert len(bundle["consents"]) == 2 and bundle["budgets"] and bundle["assessments"]
    assert bundle["goals"] and bundle["ledger"] and bundle["mandates"]
    html = client.get("/oma/tietoni")
    assert html.status_code == 200 and "Aino Virtanen" in html.text
    exports = session.exec(
        select(AuditEvent).where(AuditEvent.category == "my_data", AuditEvent.subject_id == aino.id)
    ).all()
    assert sorted(e.details["format"] for e in exports) == ["html", "json"]  # type: ignore[index]


def test_data_use_page_in_three_languages(client: TestClient) -> None:
    for lang, title in (
        ("fi", "Mihin tietojani käytetään"),
        ("sv", "Vad mina uppgifter används till"),
        ("en", "What my data is used for"),
    ):
        page = client.get("/tietojen-kaytto", headers={"Accept-Language": lang})
        assert page.status_code == 200 and title in page.text


def test_allocation_is_concealed_until_enrolment(
    client: TestClient, demo: None, session: Session
) -> None:
    erik = _user(session, "client-sv")
    login_as(client, "client-sv")
    form_post(client, "/oma/tutkimus", {"given": "yes"})
    client.cookies.clear()
    login_as(client, "case-worker")
    before = client.get(f"/asiakkaat/{erik.id}/tutkimus")
    assert before.status_code == 200
    assert "raamiryhmässä" not in before.text and "Ota mukaan ja arvo ryhmä" in before.text
    assert form_post(client, f"/asiakkaat/{erik.id}/tutkimus/satunnaista").status_code == 303
    after = client.get(f"/asiakkaat/{erik.id}/tutkimus")
    assert "raamiryhmässä" in after.text
    budget = client.get(f"/asiakkaat/{erik.id}/budjetti")
    assert 'name="arm" value="' in budget.text and 'id="f-arm"' not in budget.text
    # Enrolling twice is refused with a message.
    again = form_post(client, f"/asiakkaat/{erik.id}/tutkimus/satunnaista")
    assert again.status_code == 409 and "jo mukana" in again.text


def test_reports_are_audit_logged_and_csv(client: TestClient, demo: None, session: Session) -> None:
    session.commit()
    login_as(client, "admin")
    page = client.get("/hallinto/koe/vertailu")
    assert page.status_code == 200 and "Koeryhmien vertailu" in page.text
    report = client.get("/hallinto/koe/vertailu.csv")
    assert report.text.startswith("question,arm,group,n,measure")
    export = client.get("/hallinto/koe/tutkimusaineisto.csv")
    lines = export.text.strip().splitlines()
    assert lines[0].startswith("study_code,pilot,client_group,worker,ordinal")
    assert len(lines) > 20 and all(line.startswith("JAR-") for line in lines[1:])
    names = [u.display_name for u in session.exec(select(User)).all()]
    session.commit()
    assert not any(name in export.text for name in names)
    events = session.exec(
        select(AuditEvent.category).where(
            AuditEvent.category.in_(["experiment_report", "research_export"])  # type: ignore[attr-defined]
        )
    ).all()
    assert sorted(events) == ["experiment_report", "experiment_report", "research_export"]
    session.commit()
    # The design form refuses a block size that does not fit the arms.
    bad = form_post(
        client,
        "/hallinto/koe",
        {"name": "Koe", "frame_arms": ["A", "B"], "teaming_arms": ["C"], "block_size": "3"},
    )
    assert bad.status_code == 422 and "monikerta" in bad.text
