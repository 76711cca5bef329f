"""Deleting what the privacy notice says is kept only for a while (public/privacy.html, "How
long we keep data"); the `retention` job runs it once a day.

What goes, and after how long:
- notifications the person has read (a handled one is read too), 180 days after they were
  made, with their outbox rows;
- the outbox rows of e-mails and text messages sent, given up or left out of a summary,
  30 days after their last change;
- the development outbox's copies of sent mail (`sent_mail`, /dev/mail), after 30 days;
- one-time form keys, after 7 days (a form older than a login session cannot be posted);
- provider invitations, 30 days after they expired (they hold the invitee's e-mail address).

Login sessions and login attempts have their own cleanup jobs (`session_cleanup`,
`rate_limit_cleanup`). Nothing here touches the ledger, deliveries, plans, budgets, the
access log or any other record of the client's services: those are kept as the law on
client records requires.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.models.identity import ProviderInvitation, SentMail
from app.models.notification import Notification, NotificationOutbox, OutboxStatus
from app.models.submission import FormSubmission

READ_NOTIFICATIONS = timedelta(days=180)
FINISHED_OUTBOX = timedelta(days=30)
SENT_MAIL_COPIES = timedelta(days=30)
FORM_KEYS = timedelta(days=7)
EXPIRED_INVITATIONS = timedelta(days=30)
FINISHED = (OutboxStatus.sent, OutboxStatus.failed, OutboxStatus.dropped)


def _deleted(session: Session, statement: object) -> int:
    return int(session.execute(statement).rowcount or 0)  # type: ignore[call-overload, attr-defined]


def purge(session: Session, now: datetime) -> dict[str, int]:
    """Delete everything past its keeping time: how many rows of each kind went."""
    old_read = select(Notification.id).where(
        col(Notification.read_at).is_not(None),
        col(Notification.created_at) < now - READ_NOTIFICATIONS,
    )
    outbox_of_old = _deleted(
        session,
        delete(NotificationOutbox).where(col(NotificationOutbox.notification_id).in_(old_read)),
    )
    notifications = _deleted(
        session, delete(Notification).where(col(Notification.id).in_(old_read))
    )
    finished = _deleted(
        session,
        delete(NotificationOutbox).where(
            col(NotificationOutbox.status).in_(FINISHED),
            col(NotificationOutbox.updated_at) < now - FINISHED_OUTBOX,
        ),
    )
    mail = _deleted(session, delete(SentMail).where(col(SentMail.sent_at) < now - SENT_MAIL_COPIES))
    keys = _deleted(
        session, delete(FormSubmission).where(col(FormSubmission.created_at) < now - FORM_KEYS)
    )
    invitations = _deleted(
        session,
        delete(ProviderInvitation).where(
            col(ProviderInvitation.expires_at) < now - EXPIRED_INVITATIONS
        ),
    )
    return {
        "notifications": notifications,
        "outbox": outbox_of_old + finished,
        "sent_mail": mail,
        "form_keys": keys,
        "invitations": invitations,
    }
