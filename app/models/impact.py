"""The organiser's impact model (seed 002 appendix 2, seed 004 "iooi"): resources →
activities → outputs → outcomes → impact, each step's items linked to the core indicators
that measure them."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field

from app.models.base import Record, enum_column


class ImpactStep(StrEnum):
    resources = "resources"  # Resurssit / panokset
    activities = "activities"  # Keinot / toiminta
    outputs = "outputs"  # Tulokset / teot
    outcomes = "outcomes"  # Välitavoitteet / vaikutukset
    impact = "impact"  # Päätavoitteet / vaikuttavuus


class ImpactItem(Record, table=True):
    __tablename__ = "impact_item"

    organiser_id: int = Field(foreign_key="organiser.id", index=True)
    step: ImpactStep = Field(sa_type=enum_column(20))
    position: int = Field(default=0)
    # The text per language: {"fi": "...", "sv": "..."}.
    text: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_by_id: int = Field(foreign_key="user.id")


class ImpactLink(Record, table=True):
    """An item measured by a core indicator of the indicator report (its code, e.g. "C12a")."""

    __tablename__ = "impact_link"
    __table_args__ = (UniqueConstraint("item_id", "code"),)

    item_id: int = Field(foreign_key="impact_item.id", index=True)
    code: str = Field(max_length=20)
