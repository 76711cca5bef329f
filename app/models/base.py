"""Shared model base: metadata naming convention, timestamps and the integer-keyed row."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import BigInteger, Integer, MetaData
from sqlalchemy.types import TypeEngine
from sqlmodel import AutoString, Field, SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SQLModel.metadata = MetaData(naming_convention=NAMING_CONVENTION)


def enum_column(length: int = 30) -> AutoString:
    """Enums are stored as plain strings: adding a value never needs a type migration."""
    return AutoString(length=length)


def cents_column() -> TypeEngine[int]:
    """Money in cents: BIGINT (PostgreSQL's INTEGER stops at 21 474 836,47 €); SQLite's
    INTEGER already holds 64 bits."""
    return BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Timestamped(SQLModel):
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(
        default_factory=utcnow, nullable=False, sa_column_kwargs={"onupdate": utcnow}
    )


class Record(Timestamped):
    """A table row with timestamps and an integer key the database assigns on insert."""

    id: int | None = Field(default=None, primary_key=True)
