"""Personal goals on a Goal Attainment Scale (-2 ... +2), check-ins, and links to plan lines."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field

from app.models.base import Record, enum_column, utcnow

GAS_LEVELS = (-2, -1, 0, 1, 2)


class GoalStatus(StrEnum):
    active = "active"
    achieved = "achieved"
    changed = "changed"
    dropped = "dropped"


class Goal(Record, table=True):
    __table_args__ = (
        CheckConstraint("baseline_level BETWEEN -2 AND 2", name="baseline_level"),
        CheckConstraint("target_level BETWEEN -2 AND 2", name="target_level"),
    )

    client_id: int = Field(foreign_key="user.id", index=True)
    what: str = Field(max_length=300)  # what I want
    why: str = Field(default="", max_length=1000)  # why it matters
    steps: str = Field(default="", max_length=2000)  # small concrete steps
    evidence: str = Field(default="", max_length=1000)  # how I'll know
    # The client's own description of each level: {"-2": "...", ..., "2": "..."}.
    levels: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    baseline_level: int = Field(default=-1)
    target_level: int = Field(default=0)
    weight: int = Field(default=1)
    status: GoalStatus = Field(default=GoalStatus.active, sa_type=enum_column(20))
    status_reason: str | None = Field(default=None, max_length=1000)
    closed_at: datetime | None = None
    with_assistant: bool = Field(default=False)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")


class GoalCheckIn(Record, table=True):
    __tablename__ = "goal_check_in"
    __table_args__ = (CheckConstraint("level BETWEEN -2 AND 2", name="level"),)

    goal_id: int = Field(foreign_key="goal.id", index=True)
    level: int
    note: str = Field(default="", max_length=1000)
    recorded_at: datetime = Field(default_factory=utcnow, nullable=False)
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id")
    with_assistant: bool = Field(default=False)


class GoalPlanLink(Record, table=True):
    """ "This service helps me with this goal": a goal linked to a budget plan line.

    `plan_line_id` has no foreign key yet: the budget tables arrive in their own migration.
    """

    __tablename__ = "goal_plan_link"
    __table_args__ = (UniqueConstraint("goal_id", "plan_line_id", name="goal_plan_line"),)

    goal_id: int = Field(foreign_key="goal.id", index=True)
    plan_line_id: int = Field(index=True)
