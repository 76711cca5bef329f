"""Goals and check-ins over HTTP; the case worker's audit-logged view of their client."""

from __future__ import annotations

import re

from sqlmodel import Session, col, select

from app.models.audit import AuditAction, AuditEvent
from app.models.goal import Goal, GoalCheckIn, GoalStatus
from app.models.user import User
from tests.assessment.test_assessment_flow import _start, answer_all
from tests.support.web import form_post, login_as

GOAL = {
    "what": "Käyn kaupassa itse kerran viikossa",
    "why": "Haluan pärjätä itse",
    "steps": "Teen kauppalistan",
    "evidence": "Olen käynyt neljä viikkoa peräkkäin",
    "level_m2": "En käy ollenkaan",
    "level_m1": "Käyn avustajan kanssa",
    "level_0": "Käyn itse kerran viikossa",
    "level_p1": "Käyn kahdesti viikossa",
    "level_p2": "Käyn myös muissa kaupoissa",
    "baseline_level": "-1",
    "target_level": "0",
}


def _goal_id(response) -> int:
    assert response.status_code == 303, response.text
    match = re.match(r"/oma/tavoitteet/(\d+)$", response.headers["location"])
    assert match
    return int(match.group(1))


def test_goal_check_ins_and_closing(client, demo, engine):
    login_as(client, "client")
    goal_id = _goal_id(form_post(client, "/oma/tavoitteet/uusi", GOAL))
    assert (
        form_post(
            client, f"/oma/tavoitteet/{goal_id}/kirjaus", {"level": "0", "note": "Hyvä viikko"}
        ).status_code
        == 303
    )
    bad = form_post(client, f"/oma/tavoitteet/{goal_id}/kirjaus", {"level": "3", "note": "liikaa"})
    assert bad.status_code == 422 and "liikaa" in bad.text
    page = client.get(f"/oma/tavoitteet/{goal_id}")
    assert page.status_code == 200 and "Hyvä viikko" in page.text and "timeline" in page.text
    listing = client.get("/oma/tavoitteet").text
    assert 'data-testid="goal-progress"' in listing and "T-" not in listing  # in words
    edited = dict(GOAL, what="Käyn kaupassa itse")
    assert form_post(client, f"/oma/tavoitteet/{goal_id}/muokkaa", edited).status_code == 303
    no_reason = form_post(client, f"/oma/tavoitteet/{goal_id}/tila", {"status": "dropped"})
    assert no_reason.status_code == 422
    closed = form_post(
        client, f"/oma/tavoitteet/{goal_id}/tila", {"status": "achieved", "reason": ""}
    )
    assert closed.status_code == 303
    late = form_post(client, f"/oma/tavoitteet/{goal_id}/kirjaus", {"level": "1"})
    assert late.status_code == 409
    with Session(engine) as session:
        goal = session.get(Goal, goal_id)
        assert goal is not None and goal.what == "Käyn kaupassa itse"
        assert goal.status == GoalStatus.achieved and goal.closed_at is not None
        assert goal.levels["0"] == "Käyn itse kerran viikossa"
        entries = session.exec(select(GoalCheckIn).where(GoalCheckIn.goal_id == goal_id)).all()
        assert [e.level for e in entries] == [0]


def test_goal_form_keeps_input_and_checks_levels(client, demo):
    login_as(client, "client")
    response = form_post(client, "/oma/tavoitteet/uusi", dict(GOAL, what="", target_level="-2"))
    assert response.status_code == 422
    assert "Haluan pärjätä itse" in response.text and "error-summary" in response.text
    assert 'id="f-what-error"' in response.text and 'id="f-target_level-error"' in response.text


def test_someone_elses_goal_is_refused(client, demo, engine):
    login_as(client, "client")
    goal_id = _goal_id(form_post(client, "/oma/tavoitteet/uusi", GOAL))
    form_post(client, "/logout")
    login_as(client, "client-sv")
    assert client.get(f"/oma/tavoitteet/{goal_id}").status_code == 403
    assert (
        form_post(client, f"/oma/tavoitteet/{goal_id}/kirjaus", {"level": "2"}).status_code == 403
    )
    with Session(engine) as session:
        assert session.exec(select(GoalCheckIn).where(GoalCheckIn.goal_id == goal_id)).all() == []
        denied = session.exec(
            select(AuditEvent).where(AuditEvent.action == AuditAction.denied)
        ).all()
        assert len(denied) == 2


def test_case_worker_sees_own_clients_submitted_work_and_it_is_logged(client, demo, engine):
    login_as(client, "client")
    assessment_id = _start(client, "life-situation")
    answer_all(client, assessment_id)
    form_post(client, f"/oma/arviointi/{assessment_id}/laheta", {"instrument_version": "1"})
    draft_id = _start(client, "profile")
    form_post(client, "/oma/tavoitteet/uusi", GOAL)
    with Session(engine) as session:
        aino = session.exec(select(User).where(User.dev_persona == "client")).one()
        worker = session.exec(select(User).where(User.dev_persona == "case-worker")).one()
    form_post(client, "/logout")
    login_as(client, "case-worker")
    overview = client.get(f"/tyo/asiakkaat/{aino.id}/arviointi")
    assert overview.status_code == 200 and GOAL["what"] in overview.text
    assert f"/tyo/arvioinnit/{assessment_id}" in overview.text
    assert client.get(f"/tyo/arvioinnit/{assessment_id}").status_code == 200
    assert client.get(f"/tyo/arvioinnit/{draft_id}").status_code == 404  # drafts stay private
    with Session(engine) as session:
        reads = session.exec(
            select(AuditEvent)
            .where(AuditEvent.actor_id == worker.id, AuditEvent.action == AuditAction.read)
            .order_by(col(AuditEvent.id))
        ).all()
    assert {(e.category, e.subject_id) for e in reads} == {
        ("assessment", aino.id),
        ("goal", aino.id),
    }
    assert any(e.record_id == str(assessment_id) for e in reads)
