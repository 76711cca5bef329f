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
