"""All of a client's data in one bundle: a readable page and a JSON download (GDPR art. 15/20).

Only the client themself may take it (not an assistant: the bundle includes the access log
and the mandates, which are about the client's relationship with the assistant). Every
download is written to the audit trail as an export.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from app.models.actor import Actor
from app.models.assessment import Assessment
from app.models.audit import AuditAction, AuditEvent
from app.models.budget import Budget, FrameVersion, Meeting, PlanLine, PlanVersion
from app.models.goal import Goal, GoalCheckIn, GoalPlanLink
from app.models.ledger import Delivery, LedgerEntry
from app.models.mandate import Mandate
from app.models.research import Allocation, ConsentEvent
from app.models.user import Membership, User
from app.repositories.identity import readable_audit_events
from app.services import audit

CATEGORY = "my_data"
# Technical or secret fields that say nothing about the person and are left out.
HIDDEN = {"hetu_hash", "session_generation", "prev_hash", "row_hash", "updated_at"}
SECTIONS = (
    "profile",
    "memberships",
    "assessments",
    "goals",
    "goal_check_ins",
    "budgets",
    "frame_versions",
    "plan_versions",
    "plan_lines",
    "deliveries",
    "ledger",
    "meetings",
    "mandates",
    "consents",
    "experiment",
    "access_log",
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _record(row: SQLModel) -> dict[str, Any]:
    return {k: _plain(v) for k, v in row.model_dump(warnings=False).items() if k not in HIDDEN}


def _all(session: Session, statement: Any) -> list[dict[str, Any]]:
    return [_record(r) for r in session.exec(statement).all()]


def bundle(session: Session, actor: Actor) -> dict[str, Any]:
    """Everything Hebu stores about the logged-in client, as plain JSON-able data."""
    client_id = actor.user_id
    user = session.get(User, client_id)
    assert user is not None
    budgets = list(session.exec(select(Budget).where(Budget.client_id == client_id)).all())
    budget_ids = [b.id for b in budgets]
    plans = list(
        session.exec(select(PlanVersion).where(col(PlanVersion.budget_id).in_(budget_ids))).all()
    )
    goal_rows = list(session.exec(select(Goal).where(Goal.client_id == client_id)).all())
    goal_ids = [g.id for g in goal_rows]
    data: dict[str, Any] = {
        "profile": _record(user),
        "memberships": _all(session, select(Membership).where(Membership.user_id == client_id)),
        "assessments": _all(
            session,
            select(Assessment)
            .where(Assessment.client_id == client_id)
            .order_by(col(Assessment.id)),
        ),
        "goals": [_record(g) for g in goal_rows],
        "goal_check_ins": _all(
            session, select(GoalCheckIn).where(col(GoalCheckIn.goal_id).in_(goal_ids))
        )
        + _all(session, select(GoalPlanLink).where(col(GoalPlanLink.goal_id).in_(goal_ids))),
        "budgets": [_record(b) for b in budgets],
        "frame_versions": _all(
            session, select(FrameVersion).where(col(FrameVersion.budget_id).in_(budget_ids))
        ),
        "plan_versions": [_record(p) for p in plans],
        "plan_lines": _all(
            session,
            select(PlanLine).where(col(PlanLine.plan_version_id).in_([p.id for p in plans])),
        ),
        "deliveries": _all(
            session, select(Delivery).where(col(Delivery.budget_id).in_(budget_ids))
        ),
        "ledger": _all(
            session,
            select(LedgerEntry)
            .where(col(LedgerEntry.budget_id).in_(budget_ids))
            .order_by(col(LedgerEntry.id)),
        ),
        "meetings": _all(session, select(Meeting).where(col(Meeting.budget_id).in_(budget_ids))),
        "mandates": _all(session, select(Mandate).where(Mandate.client_user_id == client_id)),
        "consents": _all(
            session,
            select(ConsentEvent)
            .where(ConsentEvent.client_id == client_id)
            .order_by(col(ConsentEvent.version)),
        ),
        "experiment": _all(session, select(Allocation).where(Allocation.client_id == client_id)),
        "access_log": _all(
            session, readable_audit_events(actor).order_by(col(AuditEvent.id).desc())
        ),
    }
    return data


def export(session: Session, actor: Actor, fmt: str) -> dict[str, Any]:
    data = bundle(session, actor)
    audit.record(
        session,
        actor,
        AuditAction.export,
        CATEGORY,
        subject_id=actor.user_id,
        details={"format": fmt},
    )
    return data
