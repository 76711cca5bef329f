"""Teaming reminders, stored by a daily job: from `teaming_rules.REMIND_DAYS` before a
checkpoint of an arm-C budget falls due until its meeting is scheduled, the named worker has a
notice on `teaming_due:<budget>:<stage>` linking to the checkpoint's page. Scheduling the
meeting (or holding it) resolves it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from app.models.budget import Budget
from app.models.teaming import TeamingCheckpoint
from app.repositories.budget import newest_first
from app.services.identity.mandates import FINLAND
from app.services.notifications.events import teaming_due_topic
from app.services.notifications.kinds import Kind
from app.services.notifications.recipients import case_worker
from app.services.notifications.service import notify
from app.services.research.teaming import anchors_of, checkpoints_of
from app.services.research.teaming_rules import remind


def store_reminders(session: Session, now: datetime) -> int:
    """Tell the workers of the checkpoints coming due that nobody has scheduled; returns how
    many checkpoints are waiting to be scheduled."""
    today = now.astimezone(FINLAND).date()
    newest: dict[int, Budget] = {}
    for budget in session.exec(newest_first(select(Budget).where(col(Budget.teaming)))).all():
        newest.setdefault(budget.client_id, budget)
    ids = [b.id for b in newest.values() if b.id is not None]
    anchors = anchors_of(session, ids)
    records = list(
        session.exec(
            select(TeamingCheckpoint).where(col(TeamingCheckpoint.budget_id).in_(ids))
        ).all()
    ) if ids else []  # fmt: skip
    waiting = 0
    for budget in newest.values():
        assert budget.id is not None
        for c in checkpoints_of(budget, anchors[budget.id], records, today):
            if c.record is not None or not remind(c.due, None, today):
                continue
            waiting += 1
            assert c.due is not None
            key = f"{Kind.teaming_due}:{budget.id}:{c.stage}:{c.due.isoformat()}"
            link = f"/asiakkaat/{budget.client_id}/tiimiytys/{c.number}"
            worker = case_worker(session, budget.client_id)
            notify(session, [worker], Kind.teaming_due, key, link,
                   teaming_due_topic(budget.id, c.stage))  # fmt: skip
    session.flush()
    return waiting
