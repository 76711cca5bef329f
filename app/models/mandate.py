"""An HB assistant's mandate from a client: what they may do, until when, revocable."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column
from sqlmodel import Field

from app.models.base import Record


class MandateStatus(StrEnum):
    """Derived from the dates and the revocation; not stored."""

    live = "live"
    expired = "expired"
    revoked = "revoked"


class Mandate(Record, table=True):
    client_user_id: int = Field(foreign_key="user.id", index=True)
    assistant_user_id: int = Field(foreign_key="user.id", index=True)
    # MandateScope values (app.models.actor)
    scopes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    valid_until: date
    revoked_at: datetime | None = None
    revoked_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_by_id: int = Field(foreign_key="user.id")
    # A case worker registered it from a signed paper form in a meeting.
    registered_on_paper: bool = False
    paper_note: str | None = Field(default=None, max_length=500)
