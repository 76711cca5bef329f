"""One row per one-time form key: a money form posted twice is answered with the first result."""

from __future__ import annotations

from sqlmodel import Field

from app.models.base import Record


class FormSubmission(Record, table=True):
    __tablename__ = "form_submission"

    # The key the form page drew for this one form (a random token, hex).
    form_key: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    # Where the first post was answered to go ("" until it succeeded).
    answer: str = Field(default="", max_length=500)
