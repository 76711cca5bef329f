"""Teaming (arm C of seed 004), one client at a time: the named worker schedules each of the
three checkpoint meetings with the providers of the client's plan, each provider is invited
(a notice to its members), a provider's member answers whether it attends, and the worker
keeps the minutes and marks the meeting held. Due dates and statuses: `teaming_rules`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.errors import Conflict, Invalid, NotFound
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.audit import AuditAction
from app.models.base import utcnow
from app.models.budget import Budget, OrderStatus, PlanLine, PlanStatus, PlanVersion
from app.models.ledger import Delivery
from app.models.provider import Provider
from app.models.teaming import InvitationAnswer, TeamingCheckpoint, TeamingInvitation, TeamingStage
from app.models.user import User
from app.repositories.teaming import readable_caseload_checkpoints, readable_invitation_columns
from app.services import audit
from app.services.budget import frames
from app.services.identity.mandates import in_caseload
from app.services.notifications import events
from app.services.research.teaming_rules import (
    NUMBERS,
    STAGES,
    Anchors,
    Status,
    due_on,
    stage_of_number,
    status,
)

CATEGORY = "teaming"


class NotTeaming(Conflict):
    default_text = lazy_gettext("This client's budget is not in the teaming arm (C).")


class NoProviders(Conflict):
    default_text = lazy_gettext(
        "The confirmed plan has no providers to invite yet. Confirm the plan first."
    )


class AlreadyHeld(Conflict):
    default_text = lazy_gettext("This meeting has already been marked held.")


class NotScheduled(Conflict):
    default_text = lazy_gettext("Schedule the meeting before marking it held.")


class HeldInFuture(Invalid):
    default_text = lazy_gettext("The meeting cannot have been held in the future.")


@dataclass
class Invited:
    provider_id: int
    provider: str
    answer: InvitationAnswer


@dataclass
class Checkpoint:
    stage: TeamingStage
    due: date | None
    status: Status
    record: TeamingCheckpoint | None = None
    invited: list[Invited] = field(default_factory=list)

    @property
    def number(self) -> int:
        return NUMBERS[self.stage]


@dataclass
class View:
    client: User
    budget: Budget | None
    providers: list[Provider]
    checkpoints: list[Checkpoint]

    @property
    def teaming(self) -> bool:
        return bool(self.budget and self.budget.teaming)


# --- the budget's dates, read in bulk ---------------------------------------------------------


def anchors_of(session: Session, budget_ids: list[int]) -> dict[int, Anchors]:
    """Each budget's first confirmation day and first delivery day (two queries)."""
    if not budget_ids:
        return {}
    confirmed = dict(
        session.exec(
            select(PlanVersion.budget_id, func.min(PlanVersion.decided_at))
            .where(
                col(PlanVersion.budget_id).in_(budget_ids),
                PlanVersion.status == PlanStatus.confirmed,
            )
            .group_by(col(PlanVersion.budget_id))
        ).all()
    )
    delivered = dict(
        session.exec(
            select(Delivery.budget_id, func.min(Delivery.delivered_on))
            .where(col(Delivery.budget_id).in_(budget_ids))
            .group_by(col(Delivery.budget_id))
        ).all()
    )
    found: dict[int, Anchors] = {}
    for budget_id in budget_ids:
        decided = confirmed.get(budget_id)
        found[budget_id] = Anchors(
            confirmed_on=decided.date() if decided is not None else None,
            first_delivery_on=delivered.get(budget_id),
        )
    return found


def checkpoints_of(
    budget: Budget, anchors: Anchors, records: list[TeamingCheckpoint], today: date
) -> list[Checkpoint]:
    """The three checkpoints of a budget with their due dates and statuses."""
    by_stage = {r.stage: r for r in records if r.budget_id == budget.id}
    found = []
    for stage in STAGES:
        record = by_stage.get(stage)
        due = due_on(stage, anchors)
        found.append(
            Checkpoint(stage, due, status(due, record.held_on if record else None, today), record)
        )
    return found


def plan_providers(session: Session, budget: Budget) -> list[Provider]:
    """The providers of the plan in force (lines whose order was not declined)."""
    plan = frames.confirmed_version(session, budget)
    if plan is None:
        return []
    ids = session.exec(
        select(PlanLine.provider_id)
        .where(PlanLine.plan_version_id == plan.id, PlanLine.order_status != OrderStatus.declined)
        .distinct()
    ).all()
    if not ids:
        return []
    rows = select(Provider).where(col(Provider.id).in_(list(ids))).order_by(col(Provider.name))
    return list(session.exec(rows).all())


# --- the named worker -------------------------------------------------------------------------


def _budget(session: Session, actor: Actor, client_id: int) -> Budget | None:
    in_caseload(session, actor, client_id)
    return frames.caseload_budget(session, actor, client_id)


def _records(session: Session, actor: Actor, budget: Budget) -> list[TeamingCheckpoint]:
    rows = readable_caseload_checkpoints(actor).where(TeamingCheckpoint.budget_id == budget.id)
    return list(session.exec(rows).all())


def _invited(session: Session, checkpoint_ids: list[int]) -> dict[int, list[Invited]]:
    found: dict[int, list[Invited]] = defaultdict(list)
    if not checkpoint_ids:
        return found
    rows = session.exec(
        select(TeamingInvitation, Provider.name)
        .join(Provider, col(Provider.id) == col(TeamingInvitation.provider_id))
        .where(col(TeamingInvitation.checkpoint_id).in_(checkpoint_ids))
        .order_by(col(Provider.name))
    ).all()
    for invitation, name in rows:
        found[invitation.checkpoint_id].append(
            Invited(invitation.provider_id, name, InvitationAnswer(invitation.answer))
        )
    return found


def client_view(session: Session, actor: Actor, client_id: int, today: date) -> View:
    """The client's three checkpoints as their named worker sees them (the read is logged)."""
    budget = _budget(session, actor, client_id)
    client = session.get(User, client_id)
    if client is None:
        raise NotFound()
    audit.record(session, actor, AuditAction.read, CATEGORY, subject_id=client_id)
    if budget is None or budget.id is None:
        return View(client, budget, [], [])
    records = _records(session, actor, budget)
    anchors = anchors_of(session, [budget.id])[budget.id]
    checkpoints = checkpoints_of(budget, anchors, records, today)
    invited = _invited(session, [r.id for r in records if r.id is not None])
    for checkpoint in checkpoints:
        if checkpoint.record is not None:
            checkpoint.invited = invited.get(checkpoint.record.id or 0, [])
    return View(client, budget, plan_providers(session, budget), checkpoints)


def checkpoint_of(view: View, number: int) -> Checkpoint:
    stage = stage_of_number(number)
    found = next((c for c in view.checkpoints if c.stage == stage), None)
    if found is None:
        raise NotFound()
    return found


def _teaming_budget(session: Session, actor: Actor, client_id: int) -> Budget:
    budget = _budget(session, actor, client_id)
    if budget is None or not budget.teaming:
        raise NotTeaming()
    return budget


def schedule(
    session: Session,
    actor: Actor,
    client_id: int,
    number: int,
    meets_on: date,
    place: str,
) -> TeamingCheckpoint:
    """Schedule (or move) a checkpoint meeting and invite every provider of the plan; a
    provider already invited is told again only when the day changes."""
    stage = stage_of_number(number)
    if stage is None:
        raise NotFound()
    budget = _teaming_budget(session, actor, client_id)
    providers = plan_providers(session, budget)
    if not providers:
        raise NoProviders()
    record = next((r for r in _records(session, actor, budget) if r.stage == stage), None)
    if record is not None and record.held_on is not None:
        raise AlreadyHeld()
    moved = record is not None and record.meets_on != meets_on
    if record is None:
        record = TeamingCheckpoint(
            budget_id=budget.id,  # type: ignore[arg-type]
            client_id=client_id,
            stage=stage,
            meets_on=meets_on,
            place=place,
            scheduled_by_id=actor.user_id,
        )
    record.meets_on, record.place = meets_on, place
    session.add(record)
    session.flush()
    assert record.id is not None
    invitations = {
        i.provider_id: i
        for i in session.exec(
            select(TeamingInvitation).where(TeamingInvitation.checkpoint_id == record.id)
        ).all()
    }
    told: list[int] = []
    for provider in providers:
        assert provider.id is not None
        invitation = invitations.get(provider.id)
        if invitation is None:
            session.add(TeamingInvitation(checkpoint_id=record.id, provider_id=provider.id))
            told.append(provider.id)
        elif moved:
            invitation.answer, invitation.answered_by_id, invitation.answered_at = (
                InvitationAnswer.waiting, None, None,
            )  # fmt: skip
            session.add(invitation)
            told.append(provider.id)
    session.flush()
    events.teaming_invited(session, record, told)
    audit.record(
        session, actor, AuditAction.update, CATEGORY, subject_id=client_id,
        record_type="teaming_checkpoint", record_id=record.id,
        details={"stage": stage.value, "meets_on": meets_on.isoformat(), "invited": len(told)},
    )  # fmt: skip
    return record


def mark_held(
    session: Session,
    actor: Actor,
    client_id: int,
    number: int,
    held_on: date,
    minutes: str,
    today: date,
) -> TeamingCheckpoint:
    """The worker keeps the minutes and marks the meeting held (once)."""
    stage = stage_of_number(number)
    if stage is None:
        raise NotFound()
    budget = _teaming_budget(session, actor, client_id)
    record = next((r for r in _records(session, actor, budget) if r.stage == stage), None)
    if record is None:
        raise NotScheduled()
    if record.held_on is not None:
        raise AlreadyHeld()
    if held_on > today:
        raise HeldInFuture()
    record.held_on, record.minutes, record.held_recorded_by_id = held_on, minutes, actor.user_id
    session.add(record)
    session.flush()
    events.teaming_held(session, record)
    audit.record(
        session, actor, AuditAction.update, CATEGORY, subject_id=client_id,
        record_type="teaming_checkpoint", record_id=record.id,
        details={"stage": stage.value, "held_on": held_on.isoformat()},
    )  # fmt: skip
    return record


# --- the invited provider ---------------------------------------------------------------------


@dataclass(frozen=True)
class Invitation:
    id: int
    client_id: int
    client: str
    provider: str
    stage: TeamingStage
    meets_on: date
    place: str
    held_on: date | None
    answer: InvitationAnswer


def _invitation_columns(actor: Actor):  # noqa: ANN202 - a select of labelled columns
    return readable_invitation_columns(
        actor,
        col(TeamingInvitation.id).label("id"),
        col(TeamingCheckpoint.client_id).label("client_id"),
        col(User.display_name).label("client"),
        col(Provider.name).label("provider"),
        col(TeamingCheckpoint.stage).label("stage"),
        col(TeamingCheckpoint.meets_on).label("meets_on"),
        col(TeamingCheckpoint.place).label("place"),
        col(TeamingCheckpoint.held_on).label("held_on"),
        col(TeamingInvitation.answer).label("answer"),
    ).join(Provider, col(Provider.id) == col(TeamingInvitation.provider_id))


def _as_invitation(row: object) -> Invitation:
    m = row._mapping  # type: ignore[attr-defined]
    return Invitation(
        id=m["id"], client_id=m["client_id"], client=m["client"], provider=m["provider"],
        stage=TeamingStage(m["stage"]), meets_on=m["meets_on"], place=m["place"],
        held_on=m["held_on"], answer=InvitationAnswer(m["answer"]),
    )  # fmt: skip


def invitations(session: Session, actor: Actor, limit: int = 100) -> list[Invitation]:
    """The invitations of the actor's providers, the next meetings first."""
    rows = session.execute(
        _invitation_columns(actor)
        .order_by(col(TeamingCheckpoint.held_on).is_not(None), col(TeamingCheckpoint.meets_on))
        .limit(limit)
    ).all()
    return [_as_invitation(r) for r in rows]


def invitation(session: Session, actor: Actor, invitation_id: int) -> Invitation:
    row = session.execute(
        _invitation_columns(actor).where(TeamingInvitation.id == invitation_id)
    ).first()
    if row is None:
        raise NotFound()
    return _as_invitation(row)


def answer(
    session: Session, actor: Actor, invitation_id: int, attending: bool
) -> TeamingInvitation:
    """An invited provider's member says whether the provider attends (until it is held)."""
    shown = invitation(session, actor, invitation_id)  # NotFound unless invited
    if shown.held_on is not None:
        raise AlreadyHeld()
    row = session.get(TeamingInvitation, invitation_id)
    assert row is not None
    row.answer = InvitationAnswer.attending if attending else InvitationAnswer.declined
    row.answered_by_id, row.answered_at = actor.user_id, utcnow()
    session.add(row)
    session.flush()
    audit.record(
        session, actor, AuditAction.update, CATEGORY, subject_id=shown.client_id,
        record_type="teaming_invitation", record_id=invitation_id,
        details={"answer": row.answer.value},
    )  # fmt: skip
    return row
