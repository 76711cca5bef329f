"""Login sessions: idle timeout, absolute lifetime and "log out everywhere".

The signed session cookie carries when the session started, when it was last used and the
user's session generation at login. Raising the generation in the database ends every
session the user has, on every device.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from sqlmodel import Session

from app.config import Settings
from app.models.base import utcnow
from app.models.user import User

USER_KEY = "uid"
STARTED_KEY = "started"
SEEN_KEY = "seen"
GENERATION_KEY = "gen"
ACTING_KEY = "acting_mandate"
ENDED_KEY = "session_ended"


def now_ts() -> int:
    return int(utcnow().timestamp())


def start(data: MutableMapping[str, Any], user: User) -> None:
    """A fresh session on every login (no fixation): clear, then set."""
    data.clear()
    now = now_ts()
    data[USER_KEY] = user.id
    data[STARTED_KEY] = now
    data[SEEN_KEY] = now
    data[GENERATION_KEY] = user.session_generation


def is_current(data: MutableMapping[str, Any], user: User, settings: Settings) -> bool:
    """True if the session may go on; then it is marked as used now."""
    now = now_ts()
    started, seen = data.get(STARTED_KEY), data.get(SEEN_KEY)
    if not isinstance(started, int) or not isinstance(seen, int):
        return False
    if now - seen > settings.session_idle_minutes * 60:
        return False
    if now - started > settings.session_absolute_hours * 3600:
        return False
    if data.get(GENERATION_KEY) != user.session_generation:
        return False
    data[SEEN_KEY] = now
    return True


def seconds_left(data: MutableMapping[str, Any], settings: Settings) -> int:
    """Seconds until the session ends if the user does nothing."""
    now = now_ts()
    started = int(data.get(STARTED_KEY) or now)
    seen = int(data.get(SEEN_KEY) or now)
    idle_end = seen + settings.session_idle_minutes * 60
    absolute_end = started + settings.session_absolute_hours * 3600
    return max(0, min(idle_end, absolute_end) - now)


def end_everywhere(session: Session, user: User, data: MutableMapping[str, Any]) -> None:
    user.session_generation += 1
    session.add(user)
    data.clear()
