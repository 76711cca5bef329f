"""Teaming (arm C of seed 004): the named worker convenes the providers of a client's budget
at three checkpoints (before use, after deployment, at the impact evaluation); each provider
of the plan is invited and answers; the worker keeps the minutes and marks the meeting held."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from app.models.base import Record, enum_column


class TeamingStage(StrEnum):
    before_use = "before_use"  # after the plan is confirmed, before the services start
    after_deployment = "after_deployment"  # some weeks after the first deliveries
    impact_evaluation = "impact_evaluation"  # with the yearly impact evaluation


class TeamingStatus(StrEnum):
    """How a checkpoint went (computed, not stored: `services/research/teaming_rules.py`)."""

    on_time = "on_time"
    late = "late"
    missing = "missing"
    not_due = "not_due"


class InvitationAnswer(StrEnum):
    waiting = "waiting"
    attending = "attending"
    declined = "declined"


class TeamingCheckpoint(Record, table=True):
    """One teaming meeting of a budget: scheduled, then held with minutes."""

    __tablename__ = "teaming_checkpoint"
    __table_args__ = (UniqueConstraint("budget_id", "stage"),)

    budget_id: int = Field(foreign_key="budget.id", index=True)
    client_id: int = Field(foreign_key="user.id", index=True)
    stage: TeamingStage = Field(sa_type=enum_column(30))
    meets_on: date
    place: str = Field(default="", max_length=200)
    minutes: str = Field(default="", max_length=4000)
    held_on: date | None = None
    scheduled_by_id: int = Field(foreign_key="user.id")
    held_recorded_by_id: int | None = Field(default=None, foreign_key="user.id")


class TeamingInvitation(Record, table=True):
    """A provider of the plan invited to a checkpoint, and its answer."""

    __tablename__ = "teaming_invitation"
    __table_args__ = (UniqueConstraint("checkpoint_id", "provider_id"),)

    checkpoint_id: int = Field(foreign_key="teaming_checkpoint.id", index=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    answer: InvitationAnswer = Field(default=InvitationAnswer.waiting, sa_type=enum_column(20))
    answered_by_id: int | None = Field(default=None, foreign_key="user.id")
    answered_at: datetime | None = None
