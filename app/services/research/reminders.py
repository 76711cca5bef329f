"""Yearly-evaluation reminders, stored by a scheduled job instead of being computed when a
page is loaded: when a client's yearly evaluation falls due (`evaluation.reminders`), the
client and their named case worker get a notice on the topic `evaluation:<client>` (its
`since` parameter is what the pages show), and the case worker gets one for each open
"my need has changed" request. One notice per person and occasion (the dedup key); a stored
reminder that is no longer due (the evaluation was held) is resolved."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from app.models.notification import Notification
from app.models.user import Membership, Role
from app.services.identity.mandates import FINLAND
from app.services.notifications.kinds import Kind
from app.services.notifications.service import notify, resolve
from app.services.research import evaluation, reminder_state


def _open_year_topics(session: Session) -> set[str]:
    return set(
        session.exec(
            select(Notification.topic).where(
                Notification.kind == Kind.evaluation_due, col(Notification.resolved_at).is_(None)
            )
        ).all()
    )


def store_reminders(session: Session, now: datetime) -> int:
    """Write the due reminders of every client as notices and resolve the ones no longer due;
    returns how many clients are due."""
    today = now.astimezone(FINLAND).date()
    clients = session.exec(
        select(Membership).where(Membership.role == Role.client).order_by(col(Membership.id))
    ).all()
    still_open = _open_year_topics(session)
    due = 0
    for member in clients:
        found = evaluation.reminders(session, member.user_id, today)
        due += bool(found)
        topic = reminder_state.year_topic(member.user_id)
        year = next((r for r in found if r.kind == "year"), None)
        if year is None and topic in still_open:
            resolve(session, topic)
        if year is not None:
            key = f"{Kind.evaluation_due}:{member.user_id}:{year.since.isoformat()}"
            since = year.since.isoformat()
            for person, link in (
                (member.case_worker_id, reminder_state.WORKER_LINK),
                (member.user_id, reminder_state.CLIENT_LINK),
            ):
                notify(session, [person], Kind.evaluation_due, key, link, topic,
                       client_id=member.user_id, since=since)  # fmt: skip
        if any(r.kind == "need_changed" for r in found):
            request = evaluation.open_request(session, member.user_id)
            if request is not None:
                reminder_state.tell_need_changed(session, member, request.created_at.date())
    session.flush()
    return due
