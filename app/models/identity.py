"""Identity support tables: login rate limits, provider invitations, development mail."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.base import utcnow


class RateLimitHit(SQLModel, table=True):
    """One attempt at a limited endpoint; counted over a sliding window (shared by processes)."""

    __tablename__ = "rate_limit_hit"

    id: int | None = Field(default=None, primary_key=True)
    bucket: str = Field(max_length=120, index=True)  # e.g. "login:<hashed ip>"
    at: datetime = Field(default_factory=utcnow, nullable=False, index=True)


class ProviderInvitation(SQLModel, table=True):
    __tablename__ = "provider_invitation"

    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    email: str = Field(max_length=320)
    token_hash: str = Field(max_length=64, unique=True)  # SHA-256 of the token; never the token
    invited_by_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    expires_at: datetime
    used_at: datetime | None = None
    used_by_id: int | None = Field(default=None, foreign_key="user.id")


class SentMail(SQLModel, table=True):
    """Mail sent by the app. Kept only in development, for the /dev/mail page."""

    __tablename__ = "sent_mail"

    id: int | None = Field(default=None, primary_key=True)
    to: str = Field(max_length=320)
    subject: str = Field(max_length=300)
    body: str
    sent_at: datetime = Field(default_factory=utcnow, nullable=False)
