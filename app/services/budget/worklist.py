"""The case worker's worklist: what waits for the worker, oldest first, each with its age and
the page where the worker acts.

- plans sent for confirmation (since they were sent);
- deliveries the provider stood by after the client disputed them (the worker decides);
- yearly evaluations due and "my need has changed" requests (as the daily job stored them).

Only clients of the worker's own caseload (`repositories.scope.caseload`: the named worker in
the worker's organisers). A fixed number of statements however large the caseload: the
clients, the plans, the deliveries, and the two reminder reads of `reminder_state`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlmodel import Session, col, select

from app.models.actor import Actor
from app.models.budget import Budget, PlanStatus, PlanVersion
from app.models.ledger import Delivery, DeliveryStatus
from app.models.user import User
from app.repositories.scope import caseload, read_of
from app.services.identity.mandates import FINLAND
from app.services.research import reminder_state


class Work(StrEnum):
    plan = "plan"
    dispute = "dispute"
    evaluation = "evaluation"
    need_changed = "need_changed"


@dataclass(frozen=True)
class WorkItem:
    kind: Work
    client_id: int
    client_name: str
    since: date
    link: str
    days: int  # how old it is, in whole days

    @property
    def sort_key(self) -> tuple[date, int, str]:
        return self.since, self.client_id, self.kind


def _day(moment: datetime) -> date:
    """The Finnish day of a stored time (stored in UTC; SQLite returns it naive)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(FINLAND).date()


def _clients(session: Session, actor: Actor) -> dict[int, str]:
    stmt = select(col(User.id).label("client_id"), col(User.display_name)).where(
        col(User.id).in_(caseload(actor))
    )
    rows = session.execute(read_of(stmt, actor, "profile", by_column=True)).all()
    return {r.client_id: r.display_name for r in rows}


def worklist(session: Session, actor: Actor, today: date) -> list[WorkItem]:
    """Everything waiting for the worker in their own caseload, oldest first."""
    names = _clients(session, actor)
    if not names:
        return []
    ids = list(names)
    found: list[tuple[Work, int, date, str]] = []
    plans = session.execute(
        select(Budget.client_id, PlanVersion.submitted_at, PlanVersion.updated_at)
        .join(PlanVersion, col(PlanVersion.budget_id) == col(Budget.id))
        .where(col(Budget.client_id).in_(ids), col(PlanVersion.status) == PlanStatus.submitted)
    ).all()
    for client_id, sent, changed in plans:
        found.append(
            (Work.plan, client_id, _day(sent or changed), f"/asiakkaat/{client_id}/budjetti")
        )
    contested = session.execute(
        select(Budget.client_id, Delivery.updated_at)
        .join(Delivery, col(Delivery.budget_id) == col(Budget.id))
        .where(col(Budget.client_id).in_(ids), col(Delivery.status) == DeliveryStatus.contested)
    ).all()
    for client_id, changed in contested:
        found.append(
            (Work.dispute, client_id, _day(changed), f"/asiakkaat/{client_id}/toimitukset")
        )
    for client_id, reminders in reminder_state.stored_reminders(session, ids).items():
        for reminder in reminders:
            kind = Work.evaluation if reminder.kind == "year" else Work.need_changed
            found.append((kind, client_id, reminder.since, reminder_state.WORKER_LINK))
    items = [
        WorkItem(kind, cid, names[cid], since, link, max(0, (today - since).days))
        for kind, cid, since, link in found
    ]
    return sorted(items, key=lambda item: item.sort_key)
