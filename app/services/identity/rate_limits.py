"""Rate limits for login and invitation endpoints, counted in the database.

Attempts are stored as rows, so every app process shares the same count. Each check runs in
its own short transaction (before the request's unit of work starts), so an attempt counts
even when the request then fails and rolls back.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.errors import AppError
from app.i18n import lazy_gettext
from app.models.base import utcnow
from app.models.identity import RateLimitHit


class TooManyAttempts(AppError):
    status_code = 429

    default_text = lazy_gettext(
        "Too many attempts in a short time. Please wait a few minutes and try again."
    )


def bucket(kind: str, client_key: str) -> str:
    # Addresses are personal data: only a hash is stored.
    digest = hashlib.sha256(client_key.encode()).hexdigest()[:32]
    return f"{kind}:{digest}"


def hit(engine: Engine, kind: str, client_key: str, limit: int, window_seconds: int) -> None:
    """Count one attempt; raises TooManyAttempts when the window already holds `limit`."""
    name = bucket(kind, client_key)
    now = utcnow()
    since = now - timedelta(seconds=window_seconds)
    with Session(engine) as session:
        session.execute(
            delete(RateLimitHit).where(RateLimitHit.bucket == name, RateLimitHit.at < since)  # type: ignore[arg-type]
        )
        count = session.exec(
            select(func.count()).where(RateLimitHit.bucket == name, RateLimitHit.at >= since)  # type: ignore[arg-type]
        ).one()
        if count >= limit:
            session.commit()
            raise TooManyAttempts()
        session.add(RateLimitHit(bucket=name, at=now))
        session.commit()


def purge(session: Session, now: datetime, window_seconds: int) -> int:
    """Delete attempts older than the window (a bucket no one hits again keeps its rows until
    this runs): the cleanup job. Returns how many rows went."""
    since = now - timedelta(seconds=window_seconds)
    deleted = session.execute(delete(RateLimitHit).where(RateLimitHit.at < since))  # type: ignore[arg-type]
    return deleted.rowcount  # type: ignore[attr-defined,no-any-return]
