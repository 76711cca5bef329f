"""Sending the outbox: `deliver_due(engine, now)` is the job the runner calls.

Each row is claimed with a compare-and-set `UPDATE` (pending and due, or a lapsed lease ->
sending, with a lease), committed before anything is sent, so two workers never send the
same row; it is marked sent (or rescheduled with exponential backoff, or failed after the
last attempt) in its own short transaction after the send. Only a worker that dies between
sending and marking can cause a repeat, once its lease has lapsed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape
from typing import Any

from sqlalchemy import and_, or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.config import Settings, get_settings
from app.i18n import translations
from app.models.base import utcnow
from app.models.notification import Notification, NotificationOutbox, OutboxStatus
from app.models.user import User
from app.services.notifications import contact, kinds
from app.services.notifications.channels import Message, channel_for

log = logging.getLogger("hebu.notifications")

LEASE = timedelta(minutes=5)
FIRST_RETRY = timedelta(minutes=1)
MAX_ATTEMPTS = 8  # 1, 2, 4 … 64 minutes: about two hours of retries
BATCH = 100


def _due(now: datetime) -> object:
    return or_(
        and_(
            col(NotificationOutbox.status) == OutboxStatus.pending,
            col(NotificationOutbox.next_attempt_at) <= now,
        ),
        and_(
            col(NotificationOutbox.status) == OutboxStatus.sending,
            col(NotificationOutbox.lease_until) < now,
            col(NotificationOutbox.digest_run).is_(None),  # a summary's rows are digest.py's
        ),
    )


def _claim(engine: Engine, row_id: int, now: datetime) -> int | None:
    """Take the row if it is still due: its attempt number, or None if another worker won."""
    with Session(engine) as own:
        taken = own.execute(
            update(NotificationOutbox)
            .where(col(NotificationOutbox.id) == row_id, _due(now))  # type: ignore[arg-type]
            .values(
                status=OutboxStatus.sending,
                lease_until=now + LEASE,
                attempts=col(NotificationOutbox.attempts) + 1,
            )
        )
        own.commit()
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            return None
        row = own.get(NotificationOutbox, row_id)
        return row.attempts if row else None


def finish(engine: Engine, *where: Any, **values: object) -> None:
    """Record the outcome of rows still being sent that match `where` (the sender's fence),
    in its own short transaction."""
    with Session(engine) as own:
        own.execute(
            update(NotificationOutbox)
            .where(col(NotificationOutbox.status) == OutboxStatus.sending, *where)
            .values(lease_until=None, **values)
        )
        own.commit()


def _finish(engine: Engine, row_id: int, attempt: int, **values: object) -> None:
    """Record the outcome, fenced on our attempt (a lapsed lease taken over is not ours)."""
    fence = (col(NotificationOutbox.id) == row_id, col(NotificationOutbox.attempts) == attempt)
    finish(engine, *fence, **values)


@dataclass(frozen=True)
class Item:
    text: str
    link: str | None
    label: str | None = None  # a summary names each notice's kind


def letter(user: User, to: str, subject: str, items: list[Item], base_url: str) -> Message:
    """Plain text and HTML in the recipient's language: each notice's text and link back
    into Hebu, and why the message came."""
    locale = kinds.catalogue_locale(user.locale)
    gettext = translations(locale).ugettext
    footer = gettext(
        "You get this message because you use Hebu. "
        "You can choose your notifications in Hebu's settings."
    )
    open_label = gettext("Open in Hebu")
    texts, htmls = [], []
    for item in items:
        link = base_url.rstrip("/") + (item.link or "/ilmoitukset")
        body = f"{item.label}: {item.text}" if item.label else item.text
        texts.append(f"{body}\n\n" + gettext("Open in Hebu: %(link)s") % {"link": link})
        htmls.append(
            f'<p>{escape(body)}</p><p><a href="{escape(link)}">{escape(open_label)}</a></p>'
        )
    text = "\n\n".join(texts) + f"\n\n-- \n{footer}\n"
    html = (
        f'<!doctype html><html lang="{escape(locale.split("@")[0])}"><body>'
        + "".join(htmls)
        + f"<p><small>{escape(footer)}</small></p></body></html>"
    )
    return Message(to=to, subject=subject, text=text, html=html)


def address(session: Session, user: User, channel: str) -> str | None:
    """Where the channel reaches the person: the e-mail address or the phone number."""
    if channel == "sms":
        return contact.contact(session, user.id).phone  # type: ignore[arg-type]
    return user.email


def compose(note: Notification, user: User, base_url: str, to: str | None = None) -> Message:
    """One notice: the kind as the subject, the text and the link."""
    locale = kinds.catalogue_locale(user.locale)
    gettext = translations(locale).ugettext
    subject = gettext("Hebu: %(subject)s") % {"subject": kinds.label(note.kind, locale)}
    body = kinds.render(note.kind, note.params, locale)
    to = to or user.email or f"user:{user.id}"
    return letter(user, to, subject, [Item(body, note.link)], base_url)


def _message(engine: Engine, row_id: int, base_url: str) -> tuple[str, Message | None]:
    with Session(engine) as own:
        row = own.get(NotificationOutbox, row_id)
        note = own.get(Notification, row.notification_id) if row else None
        user = own.get(User, note.user_id) if note else None
        if row is None or note is None or user is None:
            return "", None
        to = address(own, user, row.channel)
        return row.channel, compose(note, user, base_url, to) if to else None


def deliver_due(
    engine: Engine, now: datetime | None = None, settings: Settings | None = None
) -> int:
    """Send every due outbox row once: the number sent."""
    settings = settings or get_settings()
    now = now or utcnow()
    with Session(engine) as own:
        ids = list(
            own.exec(
                select(NotificationOutbox.id)
                .where(_due(now))
                .order_by(col(NotificationOutbox.id))
                .limit(BATCH)
            ).all()
        )
    sent = 0
    for row_id in ids:
        attempt = _claim(engine, row_id, now)  # type: ignore[arg-type]
        if attempt is None:
            continue
        channel, message = _message(engine, row_id, settings.base_url)  # type: ignore[arg-type]
        if message is None:
            _finish(engine, row_id, attempt, status=OutboxStatus.failed, last_error="no address")  # type: ignore[arg-type]
            continue
        try:
            channel_for(channel, settings, engine).send(message)
        except Exception as exc:  # noqa: BLE001 - any failure of the server is retried
            last = attempt >= MAX_ATTEMPTS
            log.warning("notification not sent", extra={"outbox_id": row_id, "error": str(exc)})
            _finish(
                engine,
                row_id,  # type: ignore[arg-type]
                attempt,
                status=OutboxStatus.failed if last else OutboxStatus.pending,
                next_attempt_at=now + FIRST_RETRY * 2 ** (attempt - 1),
                last_error=str(exc)[:500],
            )
            continue
        _finish(engine, row_id, attempt, status=OutboxStatus.sent, sent_at=utcnow())  # type: ignore[arg-type]
        sent += 1
    return sent
