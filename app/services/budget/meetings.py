"""The meetings of a budget (initial, confirmation, follow-up, evaluation) the worker records."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from app.models.actor import Actor
from app.models.budget import Budget, Meeting, MeetingKind
from app.services.budget.frames import listed_newest_first, record_change


def record_meeting(
    session: Session, actor: Actor, budget: Budget, kind: MeetingKind, held_on: date, notes: str
) -> Meeting:
    meeting = Meeting(
        budget_id=budget.id,  # type: ignore[arg-type]
        kind=kind,
        held_on=held_on,
        notes=notes,
        recorded_by_id=actor.user_id,
    )
    session.add(meeting)
    session.flush()
    record_change(session, actor, budget, "meeting", meeting.id)
    return meeting


def meetings(session: Session, budget: Budget) -> list[Meeting]:
    rows = select(Meeting).where(Meeting.budget_id == budget.id)
    return listed_newest_first(session, rows, Meeting.held_on)
