"""Reading the audit trail: the client's "who has looked at my data" and the admin search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.models.actor import Actor
from app.models.audit import AuditAction, AuditEvent
from app.models.user import Membership, User
from app.repositories import scope
from app.repositories.identity import readable_audit_events
from app.services import audit

PAGE_SIZE = 50


@dataclass(frozen=True)
class AccessRow:
    event: AuditEvent
    actor: User | None
    on_behalf_of: User | None
    subject: User | None


@dataclass(frozen=True)
class AccessPage:
    """One page of events, newest first; `older` is the cursor of the next page (the oldest
    event's id shown), None when nothing older is left. Paging by id keeps a page stable
    while new events arrive."""

    rows: list[AccessRow]
    older: int | None
    before: int | None  # the cursor this page was read with (None: the newest page)


def _page(session: Session, query: Any, before: int | None) -> tuple[list[AuditEvent], int | None]:
    if before is not None:
        query = query.where(col(AuditEvent.id) < before)
    events = list(session.exec(query.order_by(col(AuditEvent.id).desc()).limit(PAGE_SIZE + 1)))
    more = len(events) > PAGE_SIZE
    events = events[:PAGE_SIZE]
    return events, (events[-1].id if more and events else None)


def _rows(session: Session, events: list[AuditEvent]) -> list[AccessRow]:
    ids = {i for e in events for i in (e.actor_id, e.on_behalf_of_id, e.subject_id) if i}
    users = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(ids))).all()}
    return [
        AccessRow(
            e,
            users.get(e.actor_id) if e.actor_id else None,
            users.get(e.on_behalf_of_id) if e.on_behalf_of_id else None,
            users.get(e.subject_id) if e.subject_id else None,
        )
        for e in events
    ]


def my_access_log(session: Session, actor: Actor, before: int | None = None) -> AccessPage:
    """What others have done with the client's data, newest first (own changes left out), a
    page of PAGE_SIZE events older than `before`."""
    query = readable_audit_events(actor).where(
        or_(
            col(AuditEvent.actor_id).is_(None),
            AuditEvent.actor_id != actor.user_id,
            col(AuditEvent.on_behalf_of_id).is_not(None),
        )
    )
    events, older = _page(session, query, before)
    return AccessPage(_rows(session, events), older, before)


@dataclass(frozen=True)
class SearchFilters:
    client_id: int | None = None
    actor_name: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def is_empty(self) -> bool:
        return not (self.client_id or self.actor_name or self.date_from or self.date_to)


def organiser_clients(session: Session, actor: Actor) -> list[User]:
    return list(
        session.exec(
            select(User)
            .where(col(User.id).in_(scope.organiser_clients(actor)))
            .order_by(col(User.display_name))
        ).all()
    )


def search(
    session: Session, actor: Actor, filters: SearchFilters, before: int | None = None
) -> AccessPage:
    """The admin's search of their organiser's clients' events, a page older than `before`;
    the search (each page of it) is itself logged."""
    query = readable_audit_events(actor)
    if filters.client_id:
        query = query.where(AuditEvent.subject_id == filters.client_id)
    if filters.actor_name:
        named = select(User.id).where(col(User.display_name).icontains(filters.actor_name))
        query = query.where(col(AuditEvent.actor_id).in_(named))
    if filters.date_from:
        start = datetime.combine(filters.date_from, time.min, tzinfo=UTC)
        query = query.where(AuditEvent.occurred_at >= start)
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=UTC)
        query = query.where(AuditEvent.occurred_at < end)
    events, older = _page(session, query, before)
    audit.record(
        session,
        actor,
        AuditAction.search,
        "audit_log",
        subject_id=filters.client_id or actor.user_id,
        details={
            "client_id": filters.client_id,
            "actor_name": filters.actor_name,
            "date_from": filters.date_from.isoformat() if filters.date_from else None,
            "date_to": filters.date_to.isoformat() if filters.date_to else None,
            "results": len(events),
            "before": before,
        },
    )
    return AccessPage(_rows(session, events), older, before)


def is_organiser_client(session: Session, actor: Actor, client_id: int) -> bool:
    found = session.exec(
        scope.organiser_clients(actor).where(Membership.user_id == client_id)
    ).first()
    return found is not None
