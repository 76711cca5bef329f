"""The staff's daily summary: one message a day per person and channel, listing the notices
held for it (`OutboxStatus.held`), each with its text and link in the reader's language.
Notices name no client, so neither does the summary.

The `notification_digest` job runs every hour and sends from `DIGEST_HOUR` Finnish time on,
at most once per person, channel and Finnish day. Before a summary is made, held rows whose
notice was handled meanwhile are `dropped` (left out). A summary's rows are claimed together
with one compare-and-set `UPDATE` (held -> sending, with the run's id in `digest_run`), so two
runners never put a notice in two summaries; a summary that could not be sent goes back to
held and the job fails, so the runner retries it with backoff. A runner that died between
sending and marking leaves its rows to be taken again once their lease has lapsed.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from sqlalchemy import and_, or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.config import Settings
from app.i18n import translations
from app.models.notification import Notification, NotificationOutbox, OutboxStatus
from app.models.user import User
from app.services.identity.mandates import FINLAND
from app.services.notifications import kinds
from app.services.notifications.channels import Message, channel_for
from app.services.notifications.outbox import LEASE, Item, address, finish, letter

log = logging.getLogger("hebu.notifications")

DIGEST_HOUR = 7  # Finnish time: the summary is there when the working day starts


class DigestsNotSent(Exception):
    """Some summaries could not be sent; their notices are held for the retry."""


def _of_person(user_id: int, channel: str) -> object:
    mine = select(Notification.id).where(Notification.user_id == user_id)
    return and_(
        col(NotificationOutbox.channel) == channel,
        col(NotificationOutbox.notification_id).in_(mine),
    )


def _release(engine: Engine, now: datetime) -> None:
    """Leave out what was handled before its summary; take back lapsed summary leases."""
    handled = select(Notification.id).where(col(Notification.resolved_at).is_not(None))
    with Session(engine) as own:
        own.execute(
            update(NotificationOutbox)
            .where(
                col(NotificationOutbox.status) == OutboxStatus.held,
                col(NotificationOutbox.notification_id).in_(handled),
            )
            .values(status=OutboxStatus.dropped)
        )
        own.execute(
            update(NotificationOutbox)
            .where(
                col(NotificationOutbox.status) == OutboxStatus.sending,
                col(NotificationOutbox.digest_run).is_not(None),
                col(NotificationOutbox.lease_until) < now,
            )
            .values(status=OutboxStatus.held, digest_run=None, lease_until=None)
        )
        own.commit()


def _waiting(engine: Engine) -> list[tuple[int, str]]:
    with Session(engine) as own:
        rows = own.exec(
            select(Notification.user_id, NotificationOutbox.channel)
            .join(Notification, col(Notification.id) == NotificationOutbox.notification_id)
            .where(col(NotificationOutbox.status) == OutboxStatus.held)
            .distinct()
        ).all()
    return sorted((int(user_id), str(channel)) for user_id, channel in rows)


def _sent_today(engine: Engine, user_id: int, channel: str, day_start: datetime) -> bool:
    with Session(engine) as own:
        found = own.exec(
            select(NotificationOutbox.id).where(
                _of_person(user_id, channel),  # type: ignore[arg-type]
                col(NotificationOutbox.digest_run).is_not(None),
                col(NotificationOutbox.status).in_([OutboxStatus.sent, OutboxStatus.sending]),
                or_(
                    col(NotificationOutbox.sent_at).is_(None),
                    col(NotificationOutbox.sent_at) >= day_start,
                ),
            )
        ).first()
    return found is not None


def _claim(engine: Engine, user_id: int, channel: str, run: str, now: datetime) -> list[int]:
    """Take every held row of the person on the channel; the ids this run took."""
    with Session(engine) as own:
        own.execute(
            update(NotificationOutbox)
            .where(
                _of_person(user_id, channel),  # type: ignore[arg-type]
                col(NotificationOutbox.status) == OutboxStatus.held,
            )
            .values(
                status=OutboxStatus.sending,
                digest_run=run,
                lease_until=now + LEASE,
                attempts=col(NotificationOutbox.attempts) + 1,
            )
        )
        own.commit()
        taken = own.exec(
            select(NotificationOutbox.notification_id).where(
                col(NotificationOutbox.digest_run) == run
            )
        ).all()
    return sorted(taken)


def compose_digest(
    session: Session, user: User, channel: str, note_ids: list[int], base_url: str
) -> Message | None:
    """The summary in the reader's language: each notice's kind, text and link."""
    to = address(session, user, channel)
    if to is None:
        return None
    locale = kinds.catalogue_locale(user.locale)
    notes = session.exec(
        select(Notification)
        .where(col(Notification.id).in_(note_ids))
        .order_by(col(Notification.id))
    ).all()
    items = [
        Item(kinds.render(n.kind, n.params, locale), n.link, kinds.label(n.kind, locale))
        for n in notes
    ]
    subject = translations(locale).ngettext(
        "Hebu: daily summary, %(num)d notice", "Hebu: daily summary, %(num)d notices", len(items)
    ) % {"num": len(items)}
    return letter(user, to, subject, items, base_url)


def _finish(engine: Engine, run: str, **values: object) -> None:
    finish(engine, col(NotificationOutbox.digest_run) == run, **values)


def _send_one(engine: Engine, settings: Settings, user_id: int, channel: str, now: datetime) -> str:
    """Send the person's summary on the channel: "sent", "skipped" (nothing left to take, or
    no address), or "failed" (the rows are held again for the retry)."""
    run = uuid.uuid4().hex
    note_ids = _claim(engine, user_id, channel, run, now)
    if not note_ids:
        return "skipped"  # another runner took them
    with Session(engine) as own:
        user = own.get(User, user_id)
        message = compose_digest(own, user, channel, note_ids, settings.base_url) if user else None
    if message is None:
        _finish(engine, run, status=OutboxStatus.failed, last_error="no address")
        return "skipped"
    try:
        channel_for(channel, settings, engine).send(message)
    except Exception as exc:  # noqa: BLE001 - any failure of the server is retried
        log.warning("summary not sent", extra={"user_id": user_id, "error": str(exc)})
        error = str(exc)[:500]
        _finish(engine, run, status=OutboxStatus.held, digest_run=None, last_error=error)
        return "failed"
    _finish(engine, run, status=OutboxStatus.sent, sent_at=now)
    return "sent"


def send_digests(engine: Engine, now: datetime, settings: Settings) -> int:
    """The job: every summary due today; the number of people and channels sent to."""
    local = now.astimezone(FINLAND)
    if local.hour < DIGEST_HOUR:
        return 0
    day_start = datetime.combine(local.date(), datetime.min.time(), FINLAND)
    _release(engine, now)
    outcomes = [
        _send_one(engine, settings, user_id, channel, now)
        for user_id, channel in _waiting(engine)
        if not _sent_today(engine, user_id, channel, day_start)
    ]
    failed = outcomes.count("failed")
    if failed:
        raise DigestsNotSent(f"{failed} summaries not sent; retried")
    return outcomes.count("sent")
