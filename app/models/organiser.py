"""The organiser (wellbeing services county), the municipalities it serves, categories."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field

from app.models.base import Record, Timestamped


class Municipality(Timestamped, table=True):
    """A Finnish municipality from the official code list (Tilastokeskus, 3-digit code)."""

    code: str = Field(primary_key=True, max_length=3)
    name_fi: str = Field(max_length=100)
    name_sv: str = Field(max_length=100)


class Organiser(Record, table=True):
    code: str = Field(max_length=40, unique=True, index=True)
    name: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    allows_own_share: bool = Field(default=False)
    delivery_auto_accept_days: int = Field(default=14)
    # The account settlements are paid from (the debtor of the credit-transfer file).
    iban: str | None = Field(default=None, max_length=34)
    bic: str | None = Field(default=None, max_length=11)
    # The account holder's name the bank file gives (the organiser's Finnish name if unset).
    bank_account_name: str | None = Field(default=None, max_length=70)


class OrganiserMunicipality(Timestamped, table=True):
    organiser_id: int = Field(foreign_key="organiser.id", primary_key=True)
    municipality_code: str = Field(foreign_key="municipality.code", primary_key=True)


class Category(Record, table=True):
    """A service category of an organiser's taxonomy; main categories carry budget shares."""

    __table_args__ = (UniqueConstraint("organiser_id", "slug"),)

    organiser_id: int = Field(foreign_key="organiser.id", index=True)
    slug: str = Field(max_length=60)
    name: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    parent_id: int | None = Field(default=None, foreign_key="category.id")
    is_main: bool = Field(default=True)
    position: int = Field(default=0)
