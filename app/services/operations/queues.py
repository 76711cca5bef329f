"""What is waiting, read from the database: each job's state (the admin's job list) and the
outboxes' backlogs. The tables are shared by every process, so these figures are the same
whichever web process answers `/metrics`, and a `hebu worker` needs no endpoint of its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.config import Settings
from app.models.notification import NotificationOutbox, OutboxStatus
from app.models.search import SearchOutbox
from app.services.operations.jobs import JobView, job_views

# Notification rows still to be sent: waiting, leased by a sender, or held for the summary.
UNSENT = (OutboxStatus.pending, OutboxStatus.sending, OutboxStatus.held)


@dataclass(frozen=True)
class Queues:
    jobs: list[JobView]
    search_outbox: int  # offers changed and not yet sent to the search engine
    notification_outbox: int  # e-mails and text messages not yet sent
    notification_failed: int  # given up after the last attempt


def queues(session: Session, settings: Settings, now: datetime) -> Queues:
    """Three queries whatever the sizes: the job rows and two counts."""
    search_backlog = session.exec(select(func.count()).select_from(SearchOutbox)).one()
    by_status = dict(
        session.exec(
            select(NotificationOutbox.status, func.count())
            .where(col(NotificationOutbox.status).in_([*UNSENT, OutboxStatus.failed]))
            .group_by(col(NotificationOutbox.status))
        ).all()
    )
    return Queues(
        jobs=job_views(session, settings, now),
        search_outbox=int(search_backlog),
        notification_outbox=sum(int(by_status.get(s, 0)) for s in UNSENT),
        notification_failed=int(by_status.get(OutboxStatus.failed, 0)),
    )
