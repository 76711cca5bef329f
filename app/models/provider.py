"""Service providers, their approval by organisers, and their service areas."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field

from app.models.base import Record, Timestamped, enum_column


class ApprovalStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    suspended = "suspended"


class Provider(Record, table=True):
    name: str = Field(max_length=200)
    business_id: str = Field(max_length=9, unique=True, index=True)  # Y-tunnus 1234567-8
    soteri_number: str | None = Field(default=None, max_length=40)
    contact_email: str | None = Field(default=None, max_length=320)
    contact_phone: str | None = Field(default=None, max_length=40)
    website: str | None = Field(default=None, max_length=300)
    # Per-language texts: {"fi": ..., "sv": ..., "en": ...}
    description: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    accessibility: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    # Where the organiser pays the provider's settlements (validated on save).
    iban: str | None = Field(default=None, max_length=34)
    bic: str | None = Field(default=None, max_length=11)


class ProviderArea(Timestamped, table=True):
    provider_id: int = Field(foreign_key="provider.id", primary_key=True)
    municipality_code: str = Field(foreign_key="municipality.code", primary_key=True)


class ProviderApproval(Record, table=True):
    """A provider's approval status with one organiser; decisions keep their reasons."""

    __table_args__ = (UniqueConstraint("provider_id", "organiser_id"),)

    provider_id: int = Field(foreign_key="provider.id", index=True)
    organiser_id: int = Field(foreign_key="organiser.id", index=True)
    status: ApprovalStatus = Field(default=ApprovalStatus.pending, sa_type=enum_column(20))
    reason: str | None = Field(default=None, max_length=2000)
    checklist: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = None
