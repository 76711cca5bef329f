"""A client's answers to one version of a self-assessment instrument."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field

from app.models.base import Record, enum_column


class AssessmentStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"


class Assessment(Record, table=True):
    client_id: int = Field(foreign_key="user.id", index=True)
    instrument_key: str = Field(max_length=60, index=True)
    # The version answered; results are always computed with this version, never a newer one.
    instrument_version: int
    status: AssessmentStatus = Field(default=AssessmentStatus.draft, sa_type=enum_column(20))
    # item id -> answer (str, or list of str for multiple choice); skipped items in `skipped`.
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    skipped: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # domain id -> score 0..10 (None when nothing was answered), fixed at submission.
    scores: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    # Filled by (or together with) an HB assistant acting for the client: reports separate these.
    with_assistant: bool = Field(default=False)
    last_edited_by_id: int | None = Field(default=None, foreign_key="user.id")
    submitted_at: datetime | None = None
