"""Notifications: one row per person told, its outbox rows per channel, and preferences.

A notification is stored with its kind and parameters only; its text is rendered in the
recipient's language when shown or sent (`services/notifications/kinds.py`). `topic` names
the thing it is about ("delivery:12"): handling the thing resolves every notification on it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field

from app.models.base import Record, enum_column


class Notification(Record, table=True):
    """An in-app message; dedup_key makes each alert happen once per person."""

    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=40)
    params: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    link: str | None = Field(default=None, max_length=300)
    dedup_key: str = Field(max_length=120, unique=True)
    read_at: datetime | None = None
    topic: str | None = Field(default=None, max_length=120, index=True)
    resolved_at: datetime | None = None


class OutboxStatus(StrEnum):
    pending = "pending"
    sending = "sending"  # leased by one worker until lease_until
    sent = "sent"
    failed = "failed"  # gave up after the last attempt
    held = "held"  # waits for the person's daily summary (services/notifications/digest.py)
    dropped = "dropped"  # held, but handled before the summary went: left out of it


class NotificationOutbox(Record, table=True):
    """One row per notification per channel other than in-app; sent by the job runner."""

    __tablename__ = "notification_outbox"
    __table_args__ = (UniqueConstraint("notification_id", "channel"),)

    notification_id: int = Field(foreign_key="notification.id", index=True)
    channel: str = Field(max_length=20)
    status: OutboxStatus = Field(default=OutboxStatus.pending, sa_type=enum_column(20))
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(index=True)
    lease_until: datetime | None = None
    sent_at: datetime | None = None
    last_error: str = Field(default="", max_length=500)
    digest_run: str | None = Field(default=None, max_length=32, index=True)  # the summary's


class NotificationPreference(Record, table=True):
    """The channels a person chose for one kind (in-app is always on)."""

    __tablename__ = "notification_preference"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=40)
    email: bool = True
    sms: bool = False


class NotificationSetting(Record, table=True):
    """A person's phone number for text messages and, for staff, the daily summary per
    channel (one message a day listing the notices instead of one per notice)."""

    __tablename__ = "notification_setting"

    user_id: int = Field(foreign_key="user.id", unique=True)
    phone: str | None = Field(default=None, max_length=16)  # E.164: +358401234567
    email_digest: bool = False
    sms_digest: bool = False
