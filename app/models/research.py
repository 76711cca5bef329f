"""Research consent (separate from care), the randomised experiment and its allocations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field

from app.models.base import Record, utcnow

# The version of the "what my data is used for" text a consent was given against.
CONSENT_TEXT_VERSION = 1


class ConsentEvent(Record, table=True):
    """One change of a client's research consent; append-only, the newest row is in force."""

    __tablename__ = "consent_event"
    __table_args__ = (UniqueConstraint("client_id", "version"),)

    client_id: int = Field(foreign_key="user.id", index=True)
    version: int  # 1, 2, ... per client
    given: bool  # True: consent given; False: withdrawn
    text_version: int = Field(default=CONSENT_TEXT_VERSION)
    recorded_by_id: int = Field(foreign_key="user.id")
    # A case worker recorded it from a form the client signed on paper.
    on_paper: bool = Field(default=False)
    note: str = Field(default="", max_length=500)
    occurred_at: datetime = Field(default_factory=utcnow, nullable=False)


class Experiment(Record, table=True):
    """An organiser's randomised experiment (seed 004): frame precision and teaming."""

    organiser_id: int = Field(foreign_key="organiser.id", index=True)
    name: str = Field(max_length=200)
    # Frame arms in use, a subset of ["A", "B"]; teaming arms, a subset of ["C", "none"].
    frame_arms: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    teaming_arms: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    block_size: int = Field(default=4, gt=0)
    # Stored so that every allocation can be reproduced; shown to admins only.
    seed: str = Field(max_length=64)
    is_active: bool = Field(default=True)
    created_by_id: int = Field(foreign_key="user.id")
    settings_log: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )


class Allocation(Record, table=True):
    """A client's randomised arm: position `sequence` in the stratum's block sequence."""

    __tablename__ = "experiment_allocation"
    __table_args__ = (
        UniqueConstraint("experiment_id", "client_id"),
        UniqueConstraint("experiment_id", "stratum", "sequence", name="stratum_sequence"),
    )

    experiment_id: int = Field(foreign_key="experiment.id", index=True)
    client_id: int = Field(foreign_key="user.id", index=True)
    stratum: str = Field(max_length=40)
    sequence: int
    frame_arm: str = Field(max_length=5)  # "A" or "B"
    teaming: bool  # True: arm C (teaming meetings expected)
    allocated_by_id: int | None = Field(default=None, foreign_key="user.id")
    allocated_at: datetime = Field(default_factory=utcnow, nullable=False)
