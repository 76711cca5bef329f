"""Ratings of services by clients who used them, provider replies, reports and moderation.

A rating belongs to the client (`client_id`); `entered_by_id` is who typed it (the client,
or an HB assistant acting under a mandate). The public never sees who rated, nor the day:
`month` ("2026-11") is the only time shown.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field

from app.models.base import Record, enum_column


class CommentStatus(StrEnum):
    none = "none"  # no comment was written
    visible = "visible"
    hidden = "hidden"  # hidden by an organiser admin; the stars still count


class ReportStatus(StrEnum):
    open = "open"
    hidden = "hidden"  # the admin hid the comment
    kept = "kept"  # the admin kept the comment visible


class Rating(Record, table=True):
    __table_args__ = (
        UniqueConstraint("client_id", "offer_id", "month", name="client_offer_month"),
        CheckConstraint("quality BETWEEN 1 AND 5", name="quality"),
        CheckConstraint("effect IS NULL OR effect BETWEEN 1 AND 4", name="effect"),
    )

    offer_id: int = Field(foreign_key="offer.id", index=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    client_id: int = Field(foreign_key="user.id", index=True)
    entered_by_id: int = Field(foreign_key="user.id")
    # The confirmed delivery that made the client eligible, and its plan line.
    delivery_id: int = Field(foreign_key="delivery.id")
    plan_line_id: int = Field(foreign_key="plan_line.id")
    month: str = Field(max_length=7, index=True)  # "YYYY-MM"
    quality: int  # 1-5 stars
    effect: int | None = None  # 1 not at all ... 4 a lot; None: cannot say
    comment: str = Field(default="", max_length=2000)
    comment_status: CommentStatus = Field(default=CommentStatus.none, sa_type=enum_column(20))
    hidden_reason: str = Field(default="", max_length=1000)
    hidden_by_id: int | None = Field(default=None, foreign_key="user.id")
    hidden_at: datetime | None = None
    # The provider's public reply: once per rating.
    reply: str = Field(default="", max_length=2000)
    reply_by_id: int | None = Field(default=None, foreign_key="user.id")
    reply_at: datetime | None = None


class RatingReport(Record, table=True):
    """Someone thinks a comment breaks the rules; organiser admins decide."""

    __tablename__ = "rating_report"
    __table_args__ = (UniqueConstraint("rating_id", "reporter_id", name="rating_reporter"),)

    rating_id: int = Field(foreign_key="rating.id", index=True)
    reporter_id: int = Field(foreign_key="user.id")
    reason: str = Field(default="", max_length=1000)
    status: ReportStatus = Field(default=ReportStatus.open, sa_type=enum_column(20), index=True)
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = None
