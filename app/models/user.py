"""People and what they are in Hebu (memberships)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field

from app.models.base import Record, enum_column


class Role(StrEnum):
    client = "client"
    assistant = "assistant"
    case_worker = "case_worker"
    admin = "admin"
    provider_owner = "provider_owner"
    provider_editor = "provider_editor"


class User(Record, table=True):
    display_name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=320, index=True)
    locale: str | None = Field(default=None, max_length=10)
    oidc_issuer: str | None = Field(default=None, max_length=500)
    oidc_subject: str | None = Field(default=None, max_length=255, index=True)
    hetu_hash: str | None = Field(default=None, max_length=128, unique=True)
    dev_persona: str | None = Field(default=None, max_length=60, unique=True)
    is_active: bool = Field(default=True)
    last_login_at: datetime | None = None
    # Raised by "log out everywhere": sessions carrying an older generation are ended.
    session_generation: int = Field(default=0)
    # Made up by the demo (everyone it adds without a dev persona login): not a real
    # person; labelled in staff views.
    is_synthetic: bool = Field(default=False)


class Membership(Record, table=True):
    """A role a user holds, scoped to an organiser or a provider."""

    user_id: int = Field(foreign_key="user.id", index=True)
    role: Role = Field(sa_type=enum_column(30))
    organiser_id: int | None = Field(default=None, foreign_key="organiser.id", index=True)
    provider_id: int | None = Field(default=None, foreign_key="provider.id", index=True)
    # For clients: the named case worker (Oma henkilö) and the home municipality.
    case_worker_id: int | None = Field(default=None, foreign_key="user.id")
    municipality_code: str | None = Field(default=None, foreign_key="municipality.code")
    client_group: str | None = Field(default=None, max_length=40)
