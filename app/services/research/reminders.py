"""Yearly-evaluation reminders, stored by a scheduled job instead of being found only when a
page is loaded: when a client's yearly evaluation falls due (`evaluation.reminders`), the
client and their named case worker get a notice, and the case worker gets one for each open
"my need has changed" request. One notice per person and occasion (the dedup key)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from app.models.user import Membership, Role
from app.services.identity.mandates import FINLAND
from app.services.notifications.kinds import Kind
from app.services.notifications.service import notify
from app.services.research import evaluation

KINDS = {"year": Kind.evaluation_due, "need_changed": Kind.need_changed}
WORKER_LINK = "/asiakkaat/vuosiarvioinnit"
CLIENT_LINK = "/oma/arviointi"


def store_reminders(session: Session, now: datetime) -> int:
    """Write the due reminders of every client as notices; returns how many clients are due."""
    today = now.astimezone(FINLAND).date()
    clients = session.exec(
        select(Membership).where(Membership.role == Role.client).order_by(col(Membership.id))
    ).all()
    due = 0
    for member in clients:
        found = evaluation.reminders(session, member.user_id, today)
        due += bool(found)
        for reminder in found:
            kind = KINDS[reminder.kind]
            key = f"{kind}:{member.user_id}:{reminder.since.isoformat()}"
            notify(
                session, [member.case_worker_id], kind, key, WORKER_LINK, client_id=member.user_id
            )
            if reminder.kind == "year":
                notify(session, [member.user_id], kind, key, CLIENT_LINK, client_id=member.user_id)
    session.flush()
    return due
