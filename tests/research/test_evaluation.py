"""The yearly evaluation: reminders, "my need has changed", the evaluation meeting with time,
the comparison group, and filling the experience survey like a self-assessment (demo data)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.models.assessment import Assessment, AssessmentStatus
from app.models.audit import AuditEvent
from app.models.budget import Budget, Meeting, MeetingKind, PlanStatus, PlanVersion
from app.models.notification import Notification
from app.models.report import ComparisonMember, EvaluationRequest, TimeEntry
from app.models.user import User
from app.services.research import evaluation, reminders
from tests.assessment.test_assessment_flow import _start, answer_all
from tests.support.web import form_post, login_as


def _user(engine: Engine, persona: str) -> User:
    with Session(engine, expire_on_commit=False) as s:
        return s.exec(select(User).where(User.dev_persona == persona)).one()


def _age_confirmation(engine: Engine, client_id: int, days: int) -> None:
    with Session(engine) as s:
        versions = s.exec(
            select(PlanVersion)
            .join(Budget, col(Budget.id) == PlanVersion.budget_id)
            .where(Budget.client_id == client_id, PlanVersion.status == PlanStatus.confirmed)
        ).all()
        assert versions
        for v in versions:
            v.decided_at = datetime.now(UTC) - timedelta(days=days)
            s.add(v)
        s.commit()


def test_one_year_after(engine: Engine) -> None:
    assert evaluation.one_year_after(date(2025, 3, 1)) == date(2026, 3, 1)
    assert evaluation.one_year_after(date(2024, 2, 29)) == date(2025, 2, 28)


def test_reminder_after_a_year_and_the_evaluation_meeting(
    client: TestClient, demo: None, engine: Engine
) -> None:
    aino = _user(engine, "client")
    with Session(engine) as s:
        assert evaluation.reminders(s, aino.id, date.today()) == []  # confirmed recently
    _age_confirmation(engine, aino.id, 370)
    with Session(engine) as s:
        (reminder,) = evaluation.reminders(s, aino.id, date.today())
        assert reminder.kind == "year"
        # The pages show what the daily job stored, so it runs before they are loaded.
        reminders.store_reminders(s, datetime.now(UTC))
        s.commit()
    login_as(client, "client")
    page = client.get("/oma/vuosiarviointi")
    assert page.status_code == 200
    assert "vuosiarvioinnin aika" in page.text  # fi: the reminder is shown to the client
    login_as(client, "case-worker")
    listing = client.get("/asiakkaat/vuosiarvioinnit").text
    assert "Aino Virtanen" in listing and "Erääntynyt" in listing
    worker_page = client.get(f"/asiakkaat/{aino.id}/vuosiarviointi")
    assert worker_page.status_code == 200
    # Without notes: re-rendered with a translated error, the typed minutes kept.
    bad = form_post(
        client,
        f"/asiakkaat/{aino.id}/vuosiarviointi",
        {"held_on": date.today().isoformat(), "notes": "", "worker_minutes": "45"},
    )
    assert bad.status_code == 422 and 'value="45"' in bad.text
    saved = form_post(
        client,
        f"/asiakkaat/{aino.id}/vuosiarviointi",
        {
            "held_on": date.today().isoformat(),
            "notes": "Hyvinvointi parani, raami ennallaan.",
            "worker_minutes": "60",
            "client_minutes": "60",
            "assistant_minutes": "",
        },
    )
    assert saved.status_code == 303
    with Session(engine) as s:
        assert evaluation.reminders(s, aino.id, date.today()) == []
        meeting = evaluation.last_evaluation(s, aino.id)
        assert meeting is not None and meeting.kind == MeetingKind.yearly_evaluation
        entries = s.exec(select(TimeEntry).where(TimeEntry.meeting_id == meeting.id)).all()
        assert sorted((e.role, e.minutes) for e in entries) == [("client", 60), ("worker", 60)]
        # A year after that meeting it is due again.
        later = evaluation.one_year_after(date.today())
        assert [r.kind for r in evaluation.reminders(s, aino.id, later)] == ["year"]


def test_need_changed_request_until_the_meeting(
    client: TestClient, demo: None, engine: Engine
) -> None:
    aino = _user(engine, "client")
    login_as(client, "client")
    empty = form_post(client, "/oma/vuosiarviointi/muuttunut", {"reason": ""})
    assert empty.status_code == 422
    sent = form_post(client, "/oma/vuosiarviointi/muuttunut", {"reason": "Muutin uuteen kotiin"})
    assert sent.status_code == 303
    again = form_post(client, "/oma/vuosiarviointi/muuttunut", {"reason": "uudestaan"})
    assert again.status_code == 409
    login_as(client, "case-worker")
    page = client.get(f"/asiakkaat/{aino.id}/vuosiarviointi").text
    assert "Muutin uuteen kotiin" in page
    form_post(
        client,
        f"/asiakkaat/{aino.id}/vuosiarviointi",
        {"held_on": date.today().isoformat(), "notes": "Uusi raami"},
    )
    with Session(engine) as s:
        request = s.exec(select(EvaluationRequest)).one()
        assert request.resolved_at is not None and request.resolved_by_meeting_id is not None
        assert evaluation.reminders(s, aino.id, date.today()) == []


def test_time_entry_and_comparison_group(client: TestClient, demo: None, engine: Engine) -> None:
    erik = _user(engine, "client-sv")
    login_as(client, "case-worker")
    bad = form_post(
        client,
        f"/asiakkaat/{erik.id}/vuosiarviointi/aika",
        {"role": "worker", "task": "meeting", "minutes": "0", "spent_on": "2026-05-01"},
    )
    assert bad.status_code == 422
    ok = form_post(
        client,
        f"/asiakkaat/{erik.id}/vuosiarviointi/aika",
        {"role": "assistant", "task": "planning", "minutes": "25", "spent_on": "2026-05-01"},
    )
    assert ok.status_code == 303
    flag = form_post(
        client, f"/asiakkaat/{erik.id}/vuosiarviointi/vertailuryhma", {"member": "yes"}
    )
    assert flag.status_code == 303
    with Session(engine) as s:
        entry = s.exec(select(TimeEntry).where(TimeEntry.client_id == erik.id)).one()
        assert (entry.role, entry.task, entry.minutes) == ("assistant", "planning", 25)
        assert s.exec(select(ComparisonMember).where(ComparisonMember.client_id == erik.id)).one()
        logged = s.exec(
            select(AuditEvent).where(
                AuditEvent.subject_id == erik.id, AuditEvent.record_type == "comparison_group"
            )
        ).all()
        assert logged
    form_post(client, f"/asiakkaat/{erik.id}/vuosiarviointi/vertailuryhma", {"member": "no"})
    with Session(engine) as s:
        mine = select(ComparisonMember).where(ComparisonMember.client_id == erik.id)
        assert s.exec(mine).first() is None


def test_client_fills_the_experience_survey(client: TestClient, demo: None, engine: Engine) -> None:
    login_as(client, "client")
    assessment_id = _start(client, "experience")
    answer_all(client, assessment_id, "experience")
    sent = form_post(client, f"/oma/arviointi/{assessment_id}/laheta", {"instrument_version": "1"})
    assert sent.status_code == 303
    with Session(engine) as s:
        survey = s.get(Assessment, assessment_id)
        assert survey is not None and survey.status == AssessmentStatus.submitted
        # Every agree5 item answered "5" (10 points), the overall question 7.
        assert survey.scores is not None
        assert survey.scores["heard"] == 10 and survey.scores["overall"] == 7
    results = client.get(f"/oma/arviointi/{assessment_id}/tulokset")
    assert results.status_code == 200
    assert "Vahvuutesi" not in results.text  # no strengths/areas wording for a survey
    page = client.get("/oma/vuosiarviointi").text
    assert "Lähetetty viimeksi" in page


def test_someone_elses_client_is_not_found(client: TestClient, demo: None, engine: Engine) -> None:
    login_as(client, "admin")
    aino = _user(engine, "client")
    assert client.get(f"/asiakkaat/{aino.id}/vuosiarviointi").status_code == 403
    with Session(engine) as s:
        assert s.exec(select(Meeting)).first() is not None  # demo meetings exist


def _open_notices(engine: Engine, topic: str) -> list[tuple[int, str]]:
    with Session(engine) as s:
        rows = s.exec(
            select(Notification).where(
                Notification.topic == topic, col(Notification.resolved_at).is_(None)
            )
        ).all()
        return sorted((n.user_id, n.kind) for n in rows)


def test_pages_read_stored_reminders_and_never_compute_them(
    client: TestClient, demo: None, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    aino = _user(engine, "client")
    _age_confirmation(engine, aino.id, 370)
    with Session(engine) as s:
        reminders.store_reminders(s, datetime.now(UTC))
        s.commit()

    def computed(*_args: object) -> list[evaluation.Reminder]:
        raise AssertionError("a page computed the reminders")

    monkeypatch.setattr(evaluation, "reminders", computed)
    login_as(client, "client")
    assert "vuosiarvioinnin aika" in client.get("/oma/vuosiarviointi").text
    login_as(client, "case-worker")
    assert "Erääntynyt" in client.get("/asiakkaat/vuosiarvioinnit").text
    assert (
        "Vuosiarviointi on ajankohtainen" in client.get(f"/asiakkaat/{aino.id}/vuosiarviointi").text
    )


def test_the_job_tells_each_due_client_once_and_the_meeting_clears_it(
    client: TestClient, demo: None, engine: Engine
) -> None:
    aino, worker = _user(engine, "client"), _user(engine, "case-worker")
    topic = evaluation.year_topic(aino.id)
    with Session(engine) as s:
        reminders.store_reminders(s, datetime.now(UTC))
        s.commit()
    assert _open_notices(engine, topic) == []  # confirmed recently: not due
    _age_confirmation(engine, aino.id, 370)
    for _run in range(2):
        with Session(engine) as s:
            reminders.store_reminders(s, datetime.now(UTC))
            s.commit()
    told = sorted([(aino.id, "evaluation_due"), (worker.id, "evaluation_due")])
    assert _open_notices(engine, topic) == told
    login_as(client, "case-worker")
    form_post(
        client,
        f"/asiakkaat/{aino.id}/vuosiarviointi",
        {"held_on": date.today().isoformat(), "notes": "Pidetty"},
    )
    assert _open_notices(engine, topic) == []
    with Session(engine) as s:
        reminders.store_reminders(s, datetime.now(UTC))  # not due again: nothing new
        s.commit()
    assert _open_notices(engine, topic) == []
    page = client.get(f"/asiakkaat/{aino.id}/vuosiarviointi").text
    assert "Vuosiarviointi on ajankohtainen" not in page


def test_a_stored_reminder_no_longer_due_is_resolved_by_the_job(
    client: TestClient, demo: None, engine: Engine
) -> None:
    aino = _user(engine, "client")
    topic = evaluation.year_topic(aino.id)
    _age_confirmation(engine, aino.id, 370)
    with Session(engine) as s:
        reminders.store_reminders(s, datetime.now(UTC))
        s.commit()
    assert len(_open_notices(engine, topic)) == 2
    _age_confirmation(engine, aino.id, 10)  # e.g. the plan's history was corrected
    with Session(engine) as s:
        reminders.store_reminders(s, datetime.now(UTC))
        s.commit()
    assert _open_notices(engine, topic) == []


def test_need_changed_tells_the_worker_at_once_and_the_meeting_clears_it(
    client: TestClient, demo: None, engine: Engine
) -> None:
    aino, worker = _user(engine, "client"), _user(engine, "case-worker")
    topic = evaluation.need_topic(aino.id)
    login_as(client, "client")
    form_post(client, "/oma/vuosiarviointi/muuttunut", {"reason": "Muutin"})
    assert _open_notices(engine, topic) == [(worker.id, "need_changed")]
    with Session(engine) as s:
        reminders.store_reminders(s, datetime.now(UTC))  # the job adds no second one
        s.commit()
    assert _open_notices(engine, topic) == [(worker.id, "need_changed")]
    login_as(client, "case-worker")
    form_post(
        client,
        f"/asiakkaat/{aino.id}/vuosiarviointi",
        {"held_on": date.today().isoformat(), "notes": "Uusi raami"},
    )
    assert _open_notices(engine, topic) == []
