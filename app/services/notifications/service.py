"""Writing, resolving and reading notifications.

`notify` is the one way to tell people something: one row per recipient (each alert once per
person, by `dedup_key`), plus an outbox row per extra channel the person chose for the kind
(held for the daily summary on a channel where a staff person chose one, see digest.py).
It runs inside the caller's transaction, so a notification exists exactly when the state
change it reports does. `resolve(topic)` marks every notification on a topic done once the
thing is handled (a confirmed delivery clears "confirm the delivery" for everyone told).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from app.errors import NotFound
from app.i18n import get_locale
from app.models.base import utcnow
from app.models.notification import Notification, NotificationOutbox, OutboxStatus
from app.services.notifications import contact, kinds, preferences


def notify(
    session: Session,
    recipients: Iterable[int | None],
    kind: kinds.Kind,
    dedup_key: str,
    link: str | None = None,
    topic: str | None = None,
    **params: object,
) -> list[Notification]:
    """Tell each recipient (None and repeats skipped) once per `dedup_key`."""
    made: list[Notification] = []
    for user_id in dict.fromkeys(r for r in recipients if r is not None):
        key = f"{dedup_key}:{user_id}"
        if session.exec(select(Notification.id).where(Notification.dedup_key == key)).first():
            continue
        note = Notification(
            user_id=user_id,
            kind=kind,
            dedup_key=key,
            link=link,
            topic=topic,
            params=dict(params),
        )
        session.add(note)
        session.flush()
        now = utcnow()
        channels = preferences.extra_channels(session, user_id, kind)
        summarised = contact.digest_channels(session, user_id) if channels else set()
        for channel in channels:
            session.add(
                NotificationOutbox(
                    notification_id=note.id,  # type: ignore[arg-type]
                    channel=channel,
                    next_attempt_at=now,
                    status=OutboxStatus.held if channel in summarised else OutboxStatus.pending,
                )
            )
        made.append(note)
    return made


def resolve(session: Session, topic: str) -> int:
    """Mark every open notification on `topic` handled (and read): the count resolved."""
    now = utcnow()
    result = session.execute(
        update(Notification)
        .where(col(Notification.topic) == topic, col(Notification.resolved_at).is_(None))
        .values(resolved_at=now, read_at=func.coalesce(col(Notification.read_at), now))
        .execution_options(synchronize_session="fetch")
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Entry:
    note: Notification
    text: str
    label: str


def _own(user_id: int, kind: str | None = None) -> Any:
    query = select(Notification).where(Notification.user_id == user_id)
    return query.where(Notification.kind == kind) if kind else query


def inbox(session: Session, user_id: int, kind: str | None = None, limit: int = 50) -> list[Entry]:
    """The user's notifications newest first, rendered in the reader's language (the
    request's locale, which follows the user's own setting); mail uses `user.locale`."""
    locale = get_locale()
    rows = session.exec(_own(user_id, kind).order_by(col(Notification.id).desc()).limit(limit))
    return [
        Entry(n, kinds.render(n.kind, n.params, locale), kinds.label(n.kind, locale)) for n in rows
    ]


def unread_count(session: Session, user_id: int) -> int:
    return int(
        session.exec(
            select(func.count(col(Notification.id))).where(
                Notification.user_id == user_id, col(Notification.read_at).is_(None)
            )
        ).one()
    )


def _mark_read(session: Session, user_id: int, *where: Any) -> None:
    session.execute(
        update(Notification)
        .where(col(Notification.user_id) == user_id, col(Notification.read_at).is_(None), *where)
        .values(read_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )


def mark_read(session: Session, user_id: int, notification_id: int) -> None:
    """Mark one of the user's own notifications read; another's is "not found"."""
    if session.exec(_own(user_id).where(Notification.id == notification_id)).first() is None:
        raise NotFound()
    _mark_read(session, user_id, col(Notification.id) == notification_id)


def mark_all_read(session: Session, user_id: int) -> None:
    _mark_read(session, user_id)


def kinds_of(session: Session, user_id: int) -> list[str]:
    """The kinds the user has notifications of (the inbox filter's choices)."""
    rows = session.exec(
        select(Notification.kind).where(Notification.user_id == user_id).distinct()
    ).all()
    return sorted(rows)
