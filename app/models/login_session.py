"""A login session kept on the server: the browser's cookie carries only a random token."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from app.models.base import enum_column


class SessionEnd(StrEnum):
    logout = "logout"  # the user logged out in this browser
    everywhere = "everywhere"  # "log out everywhere" on any device
    replaced = "replaced"  # a new login in the same browser


class LoginSession(SQLModel, table=True):
    """One browser's login. Times are Unix seconds (UTC); a session is current while it has
    not ended, was used within the idle limit and started within the absolute limit."""

    __tablename__ = "login_session"

    id: int | None = Field(default=None, primary_key=True)
    # SHA-256 of the cookie's token: a copy of this table gives no one a usable cookie.
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    started_at: int = Field(sa_type=BigInteger)
    seen_at: int = Field(sa_type=BigInteger, index=True)
    ended_at: int | None = Field(default=None, sa_type=BigInteger)
    end_reason: SessionEnd | None = Field(default=None, sa_type=enum_column(20))
    via_oidc: bool = Field(default=False)
    # The mandate an assistant is acting under, checked for being live on every request.
    acting_mandate_id: int | None = Field(default=None, foreign_key="mandate.id")
