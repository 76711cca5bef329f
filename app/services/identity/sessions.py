"""Login sessions kept on the server: idle timeout, absolute lifetime, logout that ends them.

The browser's cookie carries only a random token; the session is a `login_session` row found
by the token's hash. Logging out ends the row, so a copied or replayed cookie is refused
afterwards; "log out everywhere" ends every row of the user. Each piece of state is its own
column changed by its own statement, so two concurrent requests of one browser cannot undo
each other's change (a stale "acting for" can't come back after the mandate ended), and
every app process sees the same sessions.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.config import Settings
from app.models.base import utcnow
from app.models.login_session import LoginSession, SessionEnd
from app.models.user import User
from app.repositories import own_work

# How stale the recorded last use may get before a request writes it again: one write per
# session per minute instead of one per request (the idle limit counts in minutes).
SEEN_RESOLUTION_SECONDS = 60
# Ended and expired rows are kept this long (the login page can still say why a session
# ended), then deleted at a later login.
KEEP_SECONDS = 7 * 24 * 3600


def now_ts() -> int:
    return int(utcnow().timestamp())


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(
    session: Session, user: User, *, via_oidc: bool = False, replacing: str | None = None
) -> str:
    """A new session for `user`; returns the cookie's token (shown to no one else).

    A login always gets a fresh token (no fixation); the browser's previous session, if it
    had one, is ended.
    """
    assert user.id is not None
    now = now_ts()
    if replacing:
        previous = find(session, replacing)
        if previous is not None and previous.ended_at is None:
            _end(session, previous, SessionEnd.replaced, now)
    purge(session, now)
    token = secrets.token_urlsafe(32)
    session.add(
        LoginSession(
            token_hash=_hash(token), user_id=user.id, started_at=now, seen_at=now, via_oidc=via_oidc
        )
    )
    session.flush()
    return token


def purge(session: Session, now: int) -> int:
    """Delete the rows past their keep time (at each login, and by the cleanup job)."""
    deleted = session.execute(
        LoginSession.__table__.delete().where(  # type: ignore[attr-defined]
            col(LoginSession.seen_at) < now - KEEP_SECONDS
        )
    )
    return deleted.rowcount  # type: ignore[no-any-return]


def purge_job(session: Session, now: datetime) -> int:
    return purge(session, int(now.timestamp()))


def find(session: Session, token: str | None) -> LoginSession | None:
    """The session a cookie's token names, detached: its state changes only through the
    statements below, never by a flush of an edited copy."""
    if not token or len(token) > 100:
        return None
    row = session.exec(select(LoginSession).where(LoginSession.token_hash == _hash(token))).first()
    if row is not None:
        session.expunge(row)
    return row


def is_current(row: LoginSession, settings: Settings) -> bool:
    """Whether the session may go on: not ended, not idle too long, not too old."""
    now = now_ts()
    return (
        row.ended_at is None
        and now - row.seen_at <= settings.session_idle_minutes * 60
        and now - row.started_at <= settings.session_absolute_hours * 3600
    )


def touch(session: Session, row: LoginSession) -> None:
    """Record that the session was used now (at most once a minute, as its own write).

    The write runs after the request's transaction, so a page that only reads stays a
    reader; it only moves the time forward, so concurrent requests can't turn it back.
    """
    now = now_ts()
    if now - row.seen_at < SEEN_RESOLUTION_SECONDS:
        return
    row_id = row.id
    row.seen_at = now  # the detached copy, for this request's "seconds left"

    def write(own: Session) -> None:
        own.execute(
            update(LoginSession)
            .where(col(LoginSession.id) == row_id, col(LoginSession.seen_at) < now)
            .values(seen_at=now)
        )

    own_work.after_transaction(session, write)


def seconds_left(row: LoginSession, settings: Settings) -> int:
    """Seconds until the session ends if the user does nothing."""
    idle_end = row.seen_at + settings.session_idle_minutes * 60
    absolute_end = row.started_at + settings.session_absolute_hours * 3600
    return max(0, min(idle_end, absolute_end) - now_ts())


def ended_notice(row: LoginSession | None, settings: Settings) -> bool:
    """Whether the login page should say "your session ended" (it ran out, or was ended
    from another device) rather than nothing (the user logged out here)."""
    if row is None:
        return False
    if row.ended_at is not None:
        return row.end_reason == SessionEnd.everywhere
    return not is_current(row, settings)


def _end(session: Session, row: LoginSession, reason: SessionEnd, now: int) -> None:
    session.execute(
        update(LoginSession)
        .where(col(LoginSession.id) == row.id, col(LoginSession.ended_at).is_(None))
        .values(ended_at=now, end_reason=reason)
    )


def end(session: Session, row: LoginSession) -> None:
    """Logout in this browser: the token is refused from now on."""
    _end(session, row, SessionEnd.logout, now_ts())


def end_everywhere(session: Session, user: User) -> None:
    """End every session the user has, on every device."""
    session.execute(
        update(LoginSession)
        .where(col(LoginSession.user_id) == user.id, col(LoginSession.ended_at).is_(None))
        .values(ended_at=now_ts(), end_reason=SessionEnd.everywhere)
    )


def act_for(session: Session, row: LoginSession, mandate_id: int | None) -> None:
    """Start (a mandate id) or stop (None) acting for a client, in the request's work."""
    session.execute(
        update(LoginSession)
        .where(col(LoginSession.id) == row.id)
        .values(acting_mandate_id=mandate_id)
    )


def stop_acting_after_refusal(session: Session, row: LoginSession, mandate_id: int) -> None:
    """The mandate was found ended: stop acting under it, even though the request that found
    it is refused and rolled back. Only that mandate: if the assistant has meanwhile started
    acting under another one, that stays."""
    row_id = row.id

    def write(own: Session) -> None:
        own.execute(
            update(LoginSession)
            .where(
                col(LoginSession.id) == row_id,
                col(LoginSession.acting_mandate_id) == mandate_id,
            )
            .values(acting_mandate_id=None)
        )

    own_work.after_transaction(session, write)
