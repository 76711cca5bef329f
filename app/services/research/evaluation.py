"""The yearly impact evaluation: reminders, the client's "my need has changed", the case
worker's evaluation meeting record, time entries, and the comparison (control) group.

Reminders are computed from the records: an evaluation is due when a year has passed since the
plan was first confirmed (or since the last yearly evaluation meeting), or while the client has
an open need-change request. The `evaluation_reminders` job (`research/reminders.py`)
computes the yearly ones once a day and stores them as notices on the topic
`evaluation:<client>`; pages read those notices and the open requests (`stored_reminders`,
two queries for any number of clients), never recompute. The evaluation meeting resolves them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.errors import Conflict, NotFound
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.assessment import Assessment
from app.models.audit import AuditAction
from app.models.base import utcnow
from app.models.budget import Budget, Meeting, MeetingKind, PlanStatus, PlanVersion
from app.models.report import ComparisonMember, EvaluationRequest, TimeEntry, TimeRole, TimeTask
from app.models.user import Membership, User
from app.repositories.identity import readable_caseload_clients
from app.services import audit
from app.services.assessment import assessments, goals
from app.services.budget import frames, meetings
from app.services.budget.frames import NoBudget
from app.services.identity.mandates import in_caseload
from app.services.identity.users import client_membership
from app.services.notifications.service import resolve
from app.services.research.reminder_state import (
    Reminder,
    need_topic,
    stored_reminders,
    tell_need_changed,
    year_topic,
)

CATEGORY = "evaluation"
EXPERIENCE = "experience"
LIFE_SITUATION = "life-situation"


class RequestOpen(Conflict):
    default_text = lazy_gettext("You have already told us that your need has changed.")


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@dataclass
class Bundle:
    """What belongs to a client's yearly evaluation and how far it is."""

    client: User
    budget: Budget | None
    confirmed_on: date | None
    last_evaluation: Meeting | None
    reminders: list[Reminder] = field(default_factory=list)
    life_situation: Assessment | None = None
    experience: Assessment | None = None
    t_score: float | None = None
    comparison: bool = False

    @property
    def due(self) -> bool:
        return bool(self.reminders)


def first_confirmed_on(session: Session, budget: Budget) -> date | None:
    decided = session.exec(
        select(PlanVersion.decided_at)
        .where(PlanVersion.budget_id == budget.id, PlanVersion.status == PlanStatus.confirmed)
        .order_by(col(PlanVersion.decided_at))
    ).first()
    return decided.date() if decided else None


def _meetings(client_id: int) -> SelectOfScalar[Meeting]:
    """The meetings about any of the client's budgets."""
    return (
        select(Meeting)
        .join(Budget, col(Budget.id) == Meeting.budget_id)
        .where(Budget.client_id == client_id)
    )


def _newest_first(meetings: SelectOfScalar[Meeting]) -> SelectOfScalar[Meeting]:
    return meetings.order_by(col(Meeting.held_on).desc(), col(Meeting.id).desc())


def last_evaluation(session: Session, client_id: int) -> Meeting | None:
    yearly = _meetings(client_id).where(Meeting.kind == MeetingKind.yearly_evaluation)
    return session.exec(_newest_first(yearly)).first()


def _open_requests(client_id: int) -> SelectOfScalar[EvaluationRequest]:
    """The client's "my need has changed" requests no evaluation meeting has resolved yet."""
    return select(EvaluationRequest).where(
        EvaluationRequest.client_id == client_id,
        col(EvaluationRequest.resolved_at).is_(None),
    )


def open_request(session: Session, client_id: int) -> EvaluationRequest | None:
    newest_first = _open_requests(client_id).order_by(col(EvaluationRequest.id).desc())
    return session.exec(newest_first).first()


def newest_budget(session: Session, client_id: int) -> Budget | None:
    """The client's newest budget (for a client whose access was checked already)."""
    return frames.newest_budget(session, select(Budget).where(Budget.client_id == client_id))


def is_comparison(session: Session, client_id: int) -> bool:
    found = session.exec(
        select(ComparisonMember.id).where(ComparisonMember.client_id == client_id)
    ).first()
    return found is not None


def reminders(session: Session, client_id: int, today: date) -> list[Reminder]:
    """Compute what is due now (the job's work; pages read `stored_reminders`)."""
    found: list[Reminder] = []
    budget = newest_budget(session, client_id)
    confirmed = first_confirmed_on(session, budget) if budget else None
    meeting = last_evaluation(session, client_id)
    anchors = [d for d in (confirmed, meeting.held_on if meeting else None) if d is not None]
    if anchors and today >= one_year_after(max(anchors)):
        found.append(Reminder("year", one_year_after(max(anchors))))
    request = open_request(session, client_id)
    if request is not None:
        found.append(Reminder("need_changed", request.created_at.date(), request.reason))
    return found


def bundle(
    session: Session, client: User, t_score: float | None, due: list[Reminder] | None = None
) -> Bundle:
    """The client's evaluation status; `due` when the caller read the stored reminders."""
    assert client.id is not None
    budget = newest_budget(session, client.id)
    return Bundle(
        client=client,
        budget=budget,
        confirmed_on=first_confirmed_on(session, budget) if budget else None,
        last_evaluation=last_evaluation(session, client.id),
        reminders=due if due is not None else stored_reminders(session, [client.id])[client.id],
        life_situation=assessments.latest_submitted(session, client.id, LIFE_SITUATION),
        experience=assessments.latest_submitted(session, client.id, EXPERIENCE),
        t_score=t_score,
        comparison=is_comparison(session, client.id),
    )


# --- the client -----------------------------------------------------------------------------


def client_bundle(session: Session, actor: Actor) -> Bundle:
    client = session.get(User, actor.subject_id)
    if client is None:
        raise NotFound()
    t_score = goals.client_t_score(session, actor, actor.subject_id)
    if actor.on_behalf_of is not None:
        audit.record(session, actor, AuditAction.read, CATEGORY, record_type="evaluation")
    return bundle(session, client, t_score)


def request_evaluation(session: Session, actor: Actor, reason: str) -> EvaluationRequest:
    """The client (or their assistant) says the need has changed."""
    if open_request(session, actor.subject_id) is not None:
        raise RequestOpen()
    request = EvaluationRequest(client_id=actor.subject_id, reason=reason, made_by_id=actor.user_id)
    audit.record_saved(session, actor, AuditAction.create, CATEGORY, request, "evaluation_request")
    member = client_membership(session, actor.subject_id)
    if member is not None:
        tell_need_changed(session, member, request.created_at.date())
    return request


# --- the case worker ------------------------------------------------------------------------


def _own_client(session: Session, actor: Actor, client_id: int) -> tuple[User, Membership]:
    member = in_caseload(session, actor, client_id)
    client = session.get(User, client_id)
    if client is None:
        raise NotFound()
    return client, member


def own_clients(session: Session, actor: Actor) -> list[User]:
    return list(session.exec(readable_caseload_clients(actor)).all())


def caseworker_list(session: Session, actor: Actor) -> list[Bundle]:
    """The actor's own clients with their evaluation status; due ones first."""
    # Listing the clients (readable_caseload_clients) logs a read of each of them.
    clients = own_clients(session, actor)
    due = stored_reminders(session, [c.id for c in clients if c.id is not None])
    rows = [bundle(session, client, None, due[client.id]) for client in clients if client.id]
    return sorted(rows, key=lambda b: (not b.due, b.client.display_name))


def caseworker_bundle(session: Session, actor: Actor, client_id: int) -> Bundle:
    client, _member = _own_client(session, actor, client_id)
    t_score = goals.client_t_score(session, actor, client_id)
    audit.record(
        session, actor, AuditAction.read, CATEGORY, subject_id=client_id, record_type="evaluation"
    )
    return bundle(session, client, t_score)


@dataclass(frozen=True)
class Minutes:
    worker: int = 0
    client: int = 0
    assistant: int = 0


def record_evaluation(
    session: Session,
    actor: Actor,
    client_id: int,
    held_on: date,
    notes: str,
    minutes: Minutes,
) -> Meeting:
    """The evaluation meeting: a yearly_evaluation meeting, time used, open requests resolved."""
    _client, member = _own_client(session, actor, client_id)
    budget = newest_budget(session, client_id)
    if budget is None:
        raise NoBudget()
    meeting = meetings.record_meeting(
        session, actor, budget, MeetingKind.yearly_evaluation, held_on, notes
    )
    for role, value in (
        (TimeRole.worker, minutes.worker),
        (TimeRole.client, minutes.client),
        (TimeRole.assistant, minutes.assistant),
    ):
        if value:
            session.add(
                _time_entry(actor, member, role, TimeTask.evaluation, value, held_on, meeting)
            )
    for request in session.exec(_open_requests(client_id)).all():
        request.resolved_at = utcnow()
        request.resolved_by_meeting_id = meeting.id
        session.add(request)
    resolve(session, year_topic(client_id))  # the stored reminders are handled
    resolve(session, need_topic(client_id))
    audit.record(
        session,
        actor,
        AuditAction.create,
        CATEGORY,
        subject_id=client_id,
        record_type="meeting",
        record_id=meeting.id,
    )
    return meeting


def _time_entry(
    actor: Actor,
    member: Membership,
    role: TimeRole,
    task: TimeTask,
    minutes: int,
    spent_on: date,
    meeting: Meeting | None = None,
) -> TimeEntry:
    """A new, unsaved time entry for the member's client."""
    assert member.organiser_id is not None
    return TimeEntry(
        client_id=member.user_id,
        organiser_id=member.organiser_id,
        meeting_id=meeting.id if meeting else None,
        role=role,
        task=task,
        minutes=minutes,
        spent_on=spent_on,
        recorded_by_id=actor.user_id,
    )


def add_time(
    session: Session,
    actor: Actor,
    client_id: int,
    role: TimeRole,
    task: TimeTask,
    minutes: int,
    spent_on: date,
    meeting_id: int | None = None,
) -> TimeEntry:
    _client, member = _own_client(session, actor, client_id)
    meeting = None
    if meeting_id is not None:
        meeting = session.exec(_meetings(client_id).where(Meeting.id == meeting_id)).first()
        if meeting is None:
            raise NotFound()
    entry = _time_entry(actor, member, role, task, minutes, spent_on, meeting)
    audit.record_saved(
        session, actor, AuditAction.create, CATEGORY, entry, "time_entry", subject_id=client_id
    )
    return entry


def time_entries(session: Session, client_id: int) -> list[TimeEntry]:
    return list(
        session.exec(
            select(TimeEntry)
            .where(TimeEntry.client_id == client_id)
            .order_by(col(TimeEntry.spent_on).desc(), col(TimeEntry.id).desc())
        ).all()
    )


def meetings_of(session: Session, client_id: int) -> list[Meeting]:
    return list(session.exec(_newest_first(_meetings(client_id))).all())


def set_comparison(session: Session, actor: Actor, client_id: int, member_of: bool) -> None:
    """Mark (or unmark) a client as a member of the comparison group."""
    _client, member = _own_client(session, actor, client_id)
    existing = session.exec(
        select(ComparisonMember).where(ComparisonMember.client_id == client_id)
    ).first()
    if member_of and existing is None:
        assert member.organiser_id is not None
        session.add(
            ComparisonMember(
                client_id=client_id, organiser_id=member.organiser_id, set_by_id=actor.user_id
            )
        )
    elif not member_of and existing is not None:
        session.delete(existing)
    else:
        return
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.update,
        CATEGORY,
        subject_id=client_id,
        record_type="comparison_group",
        details={"member": member_of},
    )
