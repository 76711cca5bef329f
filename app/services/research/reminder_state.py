"""The stored side of the yearly-evaluation reminders, which pages read: the notices the daily
job (`reminders.py`) wrote on the topic `evaluation:<client>`, and the open "my need has
changed" requests. Nothing here computes whether an evaluation is due (`evaluation.reminders`
does, for the job only)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from app.models.notification import Notification
from app.models.report import EvaluationRequest
from app.models.user import Membership
from app.services.notifications.kinds import Kind
from app.services.notifications.service import notify


@dataclass
class Reminder:
    kind: str  # "year" | "need_changed"
    since: date
    reason: str = ""


def year_topic(client_id: int) -> str:
    return f"evaluation:{client_id}"


def need_topic(client_id: int) -> str:
    return f"need_changed:{client_id}"


WORKER_LINK = "/asiakkaat/vuosiarvioinnit"
CLIENT_LINK = "/oma/vuosiarviointi"


def tell_need_changed(session: Session, member: Membership, since: date) -> None:
    """The case worker is told of an open need-change request (once per request day)."""
    key = f"{Kind.need_changed}:{member.user_id}:{since.isoformat()}"
    notify(session, [member.case_worker_id], Kind.need_changed, key, WORKER_LINK,
           need_topic(member.user_id), client_id=member.user_id)  # fmt: skip


def stored_reminders(session: Session, client_ids: Sequence[int]) -> dict[int, list[Reminder]]:
    """The reminders the job stored and nothing has resolved yet, plus the open need-change
    requests, for each client: two queries however many clients."""
    found: dict[int, list[Reminder]] = {cid: [] for cid in client_ids}
    if not client_ids:
        return found
    by_topic = {year_topic(cid): cid for cid in client_ids}
    notes = session.exec(
        select(Notification)
        .where(
            Notification.kind == Kind.evaluation_due,
            col(Notification.topic).in_(list(by_topic)),
            col(Notification.resolved_at).is_(None),
        )
        .order_by(col(Notification.id))
    ).all()
    for note in notes:
        cid = by_topic[note.topic or ""]
        since = date.fromisoformat(str(note.params.get("since") or note.created_at.date()))
        if not any(r.kind == "year" for r in found[cid]):
            found[cid].append(Reminder("year", since))
    requests = session.exec(
        select(EvaluationRequest)
        .where(
            col(EvaluationRequest.client_id).in_(list(client_ids)),
            col(EvaluationRequest.resolved_at).is_(None),
        )
        .order_by(col(EvaluationRequest.id).desc())
    ).all()
    for request in requests:
        if not any(r.kind == "need_changed" for r in found[request.client_id]):
            reminder = Reminder("need_changed", request.created_at.date(), request.reason)
            found[request.client_id].append(reminder)
    return found
