"""A client's shortlist of offers (favourites), seen by the client and their HB assistant."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field

from app.models.base import Record


class Favourite(Record, table=True):
    """One offer on one client's shortlist; `added_by_id` is who added it last (the client, or
    an assistant acting for them under a mandate). Removing sets `removed_at` (adding again
    clears it), so removing twice is harmless and a row id stays the client's."""

    __table_args__ = (Index("uq_favourite_client_offer", "client_id", "offer_id", unique=True),)

    client_id: int = Field(foreign_key="user.id")
    offer_id: int = Field(foreign_key="offer.id", index=True)
    added_by_id: int = Field(foreign_key="user.id")
    removed_at: datetime | None = None
