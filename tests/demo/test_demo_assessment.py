"""The demo clients have a baseline and a follow-up assessment, and goals with check-ins."""

from __future__ import annotations

from sqlmodel import Session, select

from app.demo.county import load_demo
from app.models.assessment import Assessment, AssessmentStatus
from app.models.goal import Goal, GoalCheckIn
from app.models.user import User
from app.services.assessment import results


def test_demo_clients_have_assessments_and_goals(session: Session):
    load_demo(session)
    load_demo(session)  # idempotent
    for persona in ("client", "client-sv"):
        user = session.exec(select(User).where(User.dev_persona == persona)).one()
        life = session.exec(
            select(Assessment).where(
                Assessment.client_id == user.id,
                Assessment.instrument_key == "life-situation",
                Assessment.status == AssessmentStatus.submitted,
            )
        ).all()
        assert len(life) == 2
        follow_up = max(life, key=lambda a: a.submitted_at)  # type: ignore[arg-type,return-value]
        view = results.build(session, follow_up, "fi")
        assert view.baseline_at is not None
        assert any(r.change == "better" for r in view.rows)
        goals = session.exec(select(Goal).where(Goal.client_id == user.id)).all()
        assert goals
        entries = session.exec(select(GoalCheckIn).where(GoalCheckIn.goal_id == goals[0].id)).all()
        assert entries
    sv = session.exec(select(User).where(User.dev_persona == "client-sv")).one()
    latest = session.exec(
        select(Assessment).where(
            Assessment.client_id == sv.id, Assessment.instrument_key == "life-situation"
        )
    ).all()
    assert all("parenthood" in (a.scores or {}) for a in latest)
