"""The yearly evaluation and the organiser's reports: need-change requests, the comparison
group, time entries, reference costs for ROSI, indicator comments and manual indicators."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Numeric, UniqueConstraint
from sqlmodel import Field

from app.models.base import Record, enum_column


class TimeRole(StrEnum):
    worker = "worker"  # the case worker (oma henkilö)
    client = "client"  # the client themself
    assistant = "assistant"  # the HB assistant


class TimeTask(StrEnum):
    meeting = "meeting"
    planning = "planning"
    assessment = "assessment"
    evaluation = "evaluation"
    other = "other"


class EvaluationRequest(Record, table=True):
    """The client says their need has changed: an impact evaluation becomes due."""

    __tablename__ = "evaluation_request"

    client_id: int = Field(foreign_key="user.id", index=True)
    reason: str = Field(default="", max_length=2000)
    made_by_id: int = Field(foreign_key="user.id")  # the client or their assistant
    resolved_at: datetime | None = None
    resolved_by_meeting_id: int | None = Field(default=None, foreign_key="meeting.id")


class ComparisonMember(Record, table=True):
    """A client without a budget who answers the same survey and assessments (control group)."""

    __tablename__ = "comparison_member"

    client_id: int = Field(foreign_key="user.id", unique=True)
    organiser_id: int = Field(foreign_key="organiser.id", index=True)
    set_by_id: int = Field(foreign_key="user.id")


class TimeEntry(Record, table=True):
    """Minutes someone used for a client's budget work (seed 003 appendices 3.1-3.3)."""

    __tablename__ = "time_entry"
    __table_args__ = (CheckConstraint("minutes BETWEEN 1 AND 1440", name="minutes"),)

    client_id: int = Field(foreign_key="user.id", index=True)
    organiser_id: int = Field(foreign_key="organiser.id", index=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    role: TimeRole = Field(sa_type=enum_column(20))
    task: TimeTask = Field(default=TimeTask.other, sa_type=enum_column(20))
    minutes: int
    spent_on: date
    recorded_by_id: int = Field(foreign_key="user.id")


class ReferenceCost(Record, table=True):
    """A cost the organiser uses in the ROSI calculator (editable by admins): per year, or per
    hour for the hourly rates of time use (`services/reports/costs.kind` tells which)."""

    __tablename__ = "reference_cost"
    __table_args__ = (UniqueConstraint("organiser_id", "key"),)

    organiser_id: int = Field(foreign_key="organiser.id", index=True)
    key: str = Field(max_length=60)
    label: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    yearly_cents: int = Field(ge=0)
    position: int = Field(default=0)


class IndicatorComment(Record, table=True):
    """The organiser's comment on one block of the indicator report for one half-year."""

    __tablename__ = "indicator_comment"
    __table_args__ = (UniqueConstraint("organiser_id", "block", "period"),)

    organiser_id: int = Field(foreign_key="organiser.id", index=True)
    block: str = Field(max_length=10)
    period: str = Field(max_length=7)  # "2026H1"
    text: str = Field(default="", max_length=4000)
    updated_by_id: int = Field(foreign_key="user.id")


class ManualIndicator(Record, table=True):
    """An indicator the admin keeps by hand (figures from outside Hebu)."""

    __tablename__ = "manual_indicator"

    organiser_id: int = Field(foreign_key="organiser.id", index=True)
    block: str = Field(max_length=10)
    name: str = Field(max_length=200)
    unit: str = Field(default="", max_length=40)
    created_by_id: int = Field(foreign_key="user.id")


class ManualIndicatorValue(Record, table=True):
    __tablename__ = "manual_indicator_value"
    __table_args__ = (UniqueConstraint("indicator_id", "period"),)

    indicator_id: int = Field(foreign_key="manual_indicator.id", index=True)
    period: str = Field(max_length=7)
    value: Decimal = Field(sa_column=Column(Numeric(18, 4), nullable=False))


class IndicatorTarget(Record, table=True):
    """The organiser's target value for one core indicator of the indicator report."""

    __tablename__ = "indicator_target"
    __table_args__ = (UniqueConstraint("organiser_id", "code"),)

    organiser_id: int = Field(foreign_key="organiser.id", index=True)
    code: str = Field(max_length=20)  # a core indicator's code, e.g. "C12a"
    value: Decimal = Field(sa_column=Column(Numeric(18, 4), nullable=False))
    updated_by_id: int = Field(foreign_key="user.id")
