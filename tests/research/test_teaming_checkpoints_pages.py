"""Teaming checkpoints through HTTP on the demo data: the worker's overview and checkpoint
page, scheduling and keeping minutes as plain form posts (bad input shown again with 422),
the provider's invitations and answer, and the arm comparison's section."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.models.audit import AuditEvent
from app.models.teaming import TeamingCheckpoint, TeamingInvitation
from app.models.user import Membership, User
from tests.support.web import form_post, login_as


def _aino(engine: Engine) -> tuple[int, str]:
    with Session(engine) as s:
        aino = s.exec(select(User).where(User.dev_persona == "client")).one()
        invitation = s.exec(select(TeamingInvitation).order_by(TeamingInvitation.id)).first()
        assert invitation is not None
        member = s.exec(
            select(Membership).where(Membership.provider_id == invitation.provider_id)
        ).first()
        assert member is not None
        persona = s.get(User, member.user_id).dev_persona  # type: ignore[union-attr]
        return aino.id, persona  # type: ignore[return-value]


def test_teaming_checkpoints_worker_pages(client: TestClient, demo: None, engine: Engine) -> None:
    aino, _persona = _aino(engine)
    login_as(client, "case-worker")
    page = client.get(f"/asiakkaat/{aino}/tiimiytys")
    assert page.status_code == 200
    assert "Ennen käyttöönottoa" in page.text and "Pidetty ajallaan" in page.text
    assert f"/asiakkaat/{aino}/tiimiytys" in client.get(f"/asiakkaat/{aino}/budjetti").text
    held = client.get(f"/asiakkaat/{aino}/tiimiytys/1").text
    assert "Sovittiin" in held  # the minutes
    assert client.get(f"/asiakkaat/{aino}/tiimiytys/4").status_code == 404

    bad = form_post(client, f"/asiakkaat/{aino}/tiimiytys/3/ajoita", {"meets_on": "eilen"})
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text
    day = date.today() + timedelta(days=300)
    ok = form_post(client, f"/asiakkaat/{aino}/tiimiytys/3/ajoita", {"meets_on": day.isoformat()})
    assert ok.status_code == 303
    future = form_post(
        client,
        f"/asiakkaat/{aino}/tiimiytys/3/pidetty",
        {"held_on": day.isoformat(), "minutes": "x"},
    )
    assert future.status_code == 422 and "tulevaisuudessa" in future.text
    with Session(engine) as s:
        logged = s.exec(select(AuditEvent).where(AuditEvent.category == "teaming")).all()
        assert any(e.subject_id == aino for e in logged)
        assert (
            s.exec(
                select(TeamingCheckpoint).where(
                    TeamingCheckpoint.stage == "impact_evaluation",
                    TeamingCheckpoint.client_id == aino,
                )
            )
            .one()
            .meets_on
            == day
        )  # noqa: E501


def test_teaming_checkpoints_provider_answers(
    client: TestClient, demo: None, engine: Engine
) -> None:
    _aino_id, persona = _aino(engine)
    login_as(client, persona)
    listing = client.get("/tuottaja/tiimiytys")
    assert listing.status_code == 200 and "Aino Virtanen" in listing.text
    with Session(engine) as s:
        waiting = s.exec(
            select(TeamingInvitation).where(TeamingInvitation.answer == "waiting")
        ).first()
        assert waiting is not None
        wid = waiting.id
    assert client.get(f"/tuottaja/tiimiytys/{wid}").status_code == 200
    bad = form_post(client, f"/tuottaja/tiimiytys/{wid}", {"answer": "ehkä"})
    assert bad.status_code == 422
    done = form_post(client, f"/tuottaja/tiimiytys/{wid}", {"answer": "declined"})
    assert done.status_code == 303
    with Session(engine) as s:
        assert s.get(TeamingInvitation, wid).answer == "declined"  # type: ignore[union-attr]


def test_teaming_checkpoints_in_the_arm_comparison(client: TestClient, demo: None) -> None:
    login_as(client, "admin")
    page = client.get("/hallinto/koe/vertailu")
    assert page.status_code == 200
    assert "Tiimipalaverit" in page.text or "teaming-checkpoints-heading" in page.text
