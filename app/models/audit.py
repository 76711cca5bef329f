"""Append-only audit trail of reads and changes of client data (Act 703/2023 §11 spirit)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from app.models.base import enum_column, utcnow


class AuditAction(StrEnum):
    read = "read"
    create = "create"
    update = "update"
    delete = "delete"
    search = "search"
    export = "export"
    denied = "denied"


class AuditPurpose(StrEnum):
    own = "own"  # the client themself (changes only; own reads are not logged)
    care = "care"  # care relationship (case worker)
    mandate = "mandate"  # HB assistant acting with the client's mandate
    admin = "admin"  # organiser administration
    provider = "provider"  # provider fulfilling an order
    report = "report"  # aggregate reporting
    system = "system"


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = Field(default_factory=utcnow, nullable=False, index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    on_behalf_of_id: int | None = Field(default=None, foreign_key="user.id")
    subject_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    action: AuditAction = Field(sa_type=enum_column(20))
    category: str = Field(max_length=60)  # data category, e.g. "assessment", "budget"
    record_type: str | None = Field(default=None, max_length=60)
    record_id: str | None = Field(default=None, max_length=64)
    purpose: AuditPurpose = Field(sa_type=enum_column(20))
    request_id: str | None = Field(default=None, max_length=64)
    details: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    prev_hash: str = Field(max_length=64)
    row_hash: str = Field(max_length=64, unique=True)


class AuditHead(SQLModel, table=True):
    """Where the audit chain ends: one row (id 1), updated in the same transaction as each
    append and sealed with the audit key, so deleting the newest events is detected.

    Events with id up to `legacy_last_id` were chained before the key existed (plain
    SHA-256); `legacy_last_hash` pins where that part ends.
    """

    __tablename__ = "audit_head"

    id: int | None = Field(default=None, primary_key=True)
    legacy_last_id: int = Field(default=0)
    legacy_last_hash: str = Field(max_length=64)
    last_id: int = Field(default=0)
    last_hash: str = Field(max_length=64)
    row_count: int = Field(default=0)
    mac: str = Field(max_length=64)
