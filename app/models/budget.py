"""The personal budget: frame (versioned), plan versions and lines, history, meetings."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, false
from sqlmodel import Field

from app.models.base import Record, cents_column, enum_column, utcnow


class ExperimentArm(StrEnum):
    """How precise the frame is (seed 004's first question). Teaming, the second and
    independent question (arm C), is `Budget.teaming`."""

    a = "A"  # only the total frame
    b = "B"  # the total plus main-category shares


class PlanStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    confirmed = "confirmed"
    returned = "returned"


class OrderStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    declined = "declined"


class PlanAction(StrEnum):
    frame_set = "frame_set"
    created = "created"
    line_added = "line_added"
    line_removed = "line_removed"
    note = "note"
    submitted = "submitted"
    taken_back = "taken_back"
    confirmed = "confirmed"
    returned = "returned"
    order_accepted = "order_accepted"
    order_declined = "order_declined"


class MeetingKind(StrEnum):
    initial = "initial"
    confirmation = "confirmation"
    follow_up = "follow_up"
    yearly_evaluation = "yearly_evaluation"
    teaming = "teaming"


class Budget(Record, table=True):
    """One client's budget for one period; the row the ledger locks."""

    __table_args__ = (Index("uq_budget_client_period", "client_id", "period_start", unique=True),)

    client_id: int = Field(foreign_key="user.id", index=True)
    organiser_id: int = Field(foreign_key="organiser.id", index=True)
    period_start: date
    period_end: date
    arm: ExperimentArm = Field(default=ExperimentArm.a, sa_type=enum_column(5))
    # The named worker convenes the budget's providers (teaming, arm C of seed 004).
    teaming: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    frame_cents: int = Field(default=0, ge=0, sa_type=cents_column())
    # Main-category shares in basis points: {"<category id>": 2500}; empty in arm A.
    shares_bp: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    frame_version: int = Field(default=0)


class FrameVersion(Record, table=True):
    __table_args__ = (UniqueConstraint("budget_id", "version"),)

    budget_id: int = Field(foreign_key="budget.id", index=True)
    version: int
    frame_cents: int = Field(ge=0, sa_type=cents_column())
    shares_bp: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    reason: str = Field(max_length=2000)
    changed_by_id: int = Field(foreign_key="user.id")


class PlanVersion(Record, table=True):
    __tablename__ = "plan_version"
    __table_args__ = (UniqueConstraint("budget_id", "number"),)

    budget_id: int = Field(foreign_key="budget.id", index=True)
    number: int
    status: PlanStatus = Field(default=PlanStatus.draft, sa_type=enum_column(20), index=True)
    client_note: str = Field(default="", max_length=4000)
    review_comment: str = Field(default="", max_length=4000)
    own_share_cents: int = Field(default=0, ge=0, sa_type=cents_column())
    submitted_at: datetime | None = None
    decided_at: datetime | None = None
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    # A confirmed version stays in force until a newer one is confirmed.
    superseded: bool = Field(default=False)


class PlanLine(Record, table=True):
    """A service in a plan, with the offer's details snapshotted when it was added."""

    __tablename__ = "plan_line"

    plan_version_id: int = Field(foreign_key="plan_version.id", index=True)
    # The same line across versions (copied when a confirmed plan is changed).
    line_key: str = Field(max_length=32, index=True)
    offer_id: int = Field(foreign_key="offer.id", index=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    category_id: int = Field(foreign_key="category.id")
    title: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    unit: str = Field(max_length=20)
    unit_price_cents: int = Field(ge=0, sa_type=cents_column())
    quantity: int = Field(gt=0)
    repeats: int = Field(gt=0)
    cost_cents: int = Field(ge=0, sa_type=cents_column())
    order_status: OrderStatus = Field(default=OrderStatus.pending, sa_type=enum_column(20))
    order_decided_at: datetime | None = None


class PlanEvent(Record, table=True):
    """Who did what to a budget, in order; assistants are shown acting for the client."""

    __tablename__ = "plan_event"

    budget_id: int = Field(foreign_key="budget.id", index=True)
    plan_version_id: int | None = Field(default=None, foreign_key="plan_version.id")
    action: PlanAction = Field(sa_type=enum_column(30))
    actor_id: int = Field(foreign_key="user.id")
    on_behalf_of_id: int | None = Field(default=None, foreign_key="user.id")
    comment: str = Field(default="", max_length=4000)
    occurred_at: datetime = Field(default_factory=utcnow)


class Meeting(Record, table=True):
    budget_id: int = Field(foreign_key="budget.id", index=True)
    kind: MeetingKind = Field(sa_type=enum_column(30))
    held_on: date
    notes: str = Field(default="", max_length=4000)
    recorded_by_id: int = Field(foreign_key="user.id")
