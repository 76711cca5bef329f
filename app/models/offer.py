"""Offers (listed services) with per-language texts, unit prices in cents and price history."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field

from app.models.base import Record, Timestamped, cents_column, enum_column, utcnow


class Unit(StrEnum):
    hour = "hour"
    visit = "visit"
    day = "day"
    month = "month"
    session = "session"
    piece = "piece"
    trip = "trip"


class DeliveryMode(StrEnum):
    home = "home"
    provider = "provider"
    remote = "remote"


class OfferStatus(StrEnum):
    draft = "draft"
    published = "published"
    archived = "archived"


class Offer(Record, table=True):
    provider_id: int = Field(foreign_key="provider.id", index=True)
    category_id: int = Field(foreign_key="category.id", index=True)
    title: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    description: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    unit: Unit = Field(sa_type=enum_column(20))
    unit_price_cents: int = Field(ge=0, sa_type=cents_column())
    currency: str = Field(default="EUR", max_length=3)
    # VAT in basis points (2550 = 25.5 %); None = VAT-exempt social service.
    vat_rate_bp: int | None = Field(default=None)
    delivery_modes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    capacity_note: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    valid_from: date | None = None
    valid_to: date | None = None
    status: OfferStatus = Field(default=OfferStatus.draft, sa_type=enum_column(20), index=True)
    last_checked_at: datetime = Field(default_factory=utcnow)


class OfferArea(Timestamped, table=True):
    offer_id: int = Field(foreign_key="offer.id", primary_key=True)
    municipality_code: str = Field(foreign_key="municipality.code", primary_key=True)


class OfferPrice(Record, table=True):
    """Price history: one row per price an offer has had, newest last."""

    offer_id: int = Field(foreign_key="offer.id", index=True)
    unit_price_cents: int = Field(ge=0, sa_type=cents_column())
    changed_by_id: int | None = Field(default=None, foreign_key="user.id")
