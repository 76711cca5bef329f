"""Plan versions: draft -> submitted -> confirmed | returned. Confirmed versions are immutable;
changing a confirmed plan starts a new version that needs confirmation again."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.errors import Conflict, Invalid, NotFound
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.base import utcnow
from app.models.budget import (
    Budget,
    Meeting,
    MeetingKind,
    OrderStatus,
    PlanAction,
    PlanLine,
    PlanStatus,
    PlanVersion,
)
from app.models.offer import Offer, OfferStatus
from app.models.provider import ApprovalStatus, Provider, ProviderApproval
from app.services.assessment import goals
from app.services.budget import arithmetic, ledger
from app.services.budget.frames import (
    fit_of,
    latest_version,
    lines_of,
    listed_newest_first,
    log_change,
    log_event,
    organiser_of,
    record_change,
)
from app.services.notifications import events

EDITABLE = (PlanStatus.draft, PlanStatus.returned)
DECISIONS = {PlanAction.confirmed: PlanStatus.confirmed, PlanAction.returned: PlanStatus.returned}


class PlanLocked(Conflict):
    default_text = lazy_gettext(
        "The plan has been sent to your worker. You can change it after they have "
        "confirmed or returned it."
    )


class AlreadySubmitted(Conflict):
    default_text = lazy_gettext("The plan has already been sent.")


class NotSubmitted(Conflict):
    default_text = lazy_gettext("Only a plan that has been sent can be confirmed or returned.")


class OfferUnavailable(Invalid):
    default_text = lazy_gettext(
        "This service cannot be added: it is not currently available from an approved provider."
    )


class BadQuantity(Invalid):
    default_text = lazy_gettext("Enter an amount between 1 and 1000.")


class PlanOverFrame(Invalid):
    default_text = lazy_gettext(
        "The plan costs more than your budget frame. Remove or reduce services so that it fits."
    )


class CategoryOverShare(Invalid):
    default_text = lazy_gettext(
        "The plan costs more than a category's share of the frame allows. Move or reduce "
        "services so that each category fits its share."
    )


class PlanNoLongerFits(Conflict):
    default_text = lazy_gettext(
        "The frame has changed since the plan was sent and the plan no longer fits it. "
        "Return the plan to the client to be changed."
    )


class EmptyPlan(Invalid):
    default_text = lazy_gettext("Add at least one service before sending the plan.")


def available_offer(session: Session, budget: Budget, offer_id: int, today: date) -> Offer:
    """A published, valid offer of a provider approved by the budget's organiser."""
    offer = session.get(Offer, offer_id)
    if offer is None or offer.status != OfferStatus.published:
        raise OfferUnavailable()
    if (offer.valid_from and offer.valid_from > today) or (
        offer.valid_to and offer.valid_to < today
    ):
        raise OfferUnavailable()
    approval = session.exec(
        select(ProviderApproval).where(
            ProviderApproval.provider_id == offer.provider_id,
            ProviderApproval.organiser_id == budget.organiser_id,
        )
    ).first()
    if approval is None or approval.status != ApprovalStatus.approved:
        raise OfferUnavailable()
    return offer


def available_offers(session: Session, budget: Budget, today: date) -> list[Offer]:
    approved = select(ProviderApproval.provider_id).where(
        ProviderApproval.organiser_id == budget.organiser_id,
        ProviderApproval.status == ApprovalStatus.approved,
    )
    offers = session.exec(
        select(Offer)
        .where(Offer.status == OfferStatus.published, col(Offer.provider_id).in_(approved))
        .order_by(col(Offer.id))
    ).all()
    return [
        o
        for o in offers
        if not (o.valid_from and o.valid_from > today) and not (o.valid_to and o.valid_to < today)
    ]


class OfferOption(NamedTuple):
    """What the plan's service picker shows of an offer (read without whole ORM objects)."""

    id: int
    title: dict[str, str]
    unit_price_cents: int
    category_id: int
    provider_name: str


def offer_options(session: Session, budget: Budget, today: date) -> list[OfferOption]:
    """The offers `add_line` would accept today, for the picker: the same rules as
    `available_offers`, filtered in SQL and read as plain columns."""
    approved = select(ProviderApproval.provider_id).where(
        ProviderApproval.organiser_id == budget.organiser_id,
        ProviderApproval.status == ApprovalStatus.approved,
    )
    rows = session.exec(
        select(Offer.id, Offer.title, Offer.unit_price_cents, Offer.category_id, Provider.name)
        .join(Provider, col(Provider.id) == col(Offer.provider_id))
        .where(Offer.status == OfferStatus.published, col(Offer.provider_id).in_(approved))
        .where(or_(col(Offer.valid_from).is_(None), col(Offer.valid_from) <= today))
        .where(or_(col(Offer.valid_to).is_(None), col(Offer.valid_to) >= today))
        .order_by(col(Offer.category_id), col(Offer.id))
    ).all()
    return [OfferOption._make(row) for row in rows]


def editable_version(session: Session, actor: Actor, budget: Budget) -> PlanVersion:
    """The draft to change: the open one, or a new version copied from the latest. Takes
    the budget's lock: every change of a plan is a guarded transition."""
    budget = ledger.lock_budget(session, budget)
    latest = latest_version(session, budget)
    if latest is not None and latest.status in EDITABLE:
        return latest
    if latest is not None and latest.status == PlanStatus.submitted:
        raise PlanLocked()
    plan = PlanVersion(budget_id=budget.id, number=(latest.number + 1) if latest else 1)
    session.add(plan)
    session.flush()
    for line in lines_of(session, latest):
        skip = {"id", "plan_version_id", "created_at", "updated_at"}
        data = {c.name: getattr(line, c.name) for c in PlanLine.__table__.columns}  # type: ignore[attr-defined]
        session.add(
            PlanLine(**{k: v for k, v in data.items() if k not in skip}, plan_version_id=plan.id)
        )
    session.flush()
    log_event(session, actor, budget, PlanAction.created, plan)
    return plan


def preview_line(
    session: Session, budget: Budget, offer_id: int, quantity: int, repeats: int, today: date
) -> PlanLine:
    """An unsaved line for the live "fits the frame" check; same rules as add_line."""
    if not (0 < quantity <= arithmetic.MAX_QUANTITY and 0 < repeats <= arithmetic.MAX_REPEATS):
        raise BadQuantity()
    offer = available_offer(session, budget, offer_id, today)
    return PlanLine(
        plan_version_id=0,
        line_key="preview",
        offer_id=offer.id,  # type: ignore[arg-type]
        provider_id=offer.provider_id,
        category_id=offer.category_id,
        title=dict(offer.title),
        unit=str(offer.unit),
        unit_price_cents=offer.unit_price_cents,
        quantity=quantity,
        repeats=repeats,
        cost_cents=arithmetic.line_cost_cents(quantity, repeats, offer.unit_price_cents),
    )


def add_line(
    session: Session,
    actor: Actor,
    budget: Budget,
    offer_id: int,
    quantity: int,
    repeats: int,
    today: date,
    goal_ids: Sequence[int] = (),
) -> PlanLine:
    """Add an offer to the editable version; `goal_ids` are the client's goals it helps with."""
    line = preview_line(session, budget, offer_id, quantity, repeats, today)
    client_goals = {g.id: g for g in goals.goals_of(session, actor, budget.client_id)}
    if any(goal_id not in client_goals for goal_id in goal_ids):
        raise NotFound()
    plan = editable_version(session, actor, budget)
    line.plan_version_id = plan.id  # type: ignore[assignment]
    line.line_key = uuid.uuid4().hex
    session.add(line)
    plan.status = PlanStatus.draft
    session.add(plan)
    log_change(session, actor, budget, PlanAction.line_added, plan, ("plan_line", line.id))
    for goal_id in dict.fromkeys(goal_ids):
        goals.link_plan_line(session, actor, client_goals[goal_id], line.id)  # type: ignore[arg-type]
    return line


def remove_line(session: Session, actor: Actor, budget: Budget, line_id: int) -> None:
    budget = ledger.lock_budget(session, budget)
    target = session.get(PlanLine, line_id)
    latest = latest_version(session, budget)
    if target is None or latest is None:
        raise NotFound()
    owner = session.get(PlanVersion, target.plan_version_id)
    if owner is None or owner.budget_id != budget.id:
        raise NotFound()
    plan = editable_version(session, actor, budget)
    line = session.exec(
        select(PlanLine).where(
            PlanLine.plan_version_id == plan.id, PlanLine.line_key == target.line_key
        )
    ).first()
    if line is None:
        raise NotFound()
    session.delete(line)
    plan.status = PlanStatus.draft
    session.add(plan)
    log_change(session, actor, budget, PlanAction.line_removed, plan, ("plan_line", line_id))


def submit(
    session: Session, actor: Actor, budget: Budget, note: str, version_number: int | None = None
) -> PlanVersion:
    budget = ledger.lock_budget(session, budget)
    latest = latest_version(session, budget)
    if latest is None:
        raise EmptyPlan()
    if latest.status == PlanStatus.submitted or (
        version_number is not None and latest.number != version_number
    ):
        raise AlreadySubmitted()
    if latest.status not in EDITABLE:
        raise AlreadySubmitted()
    lines = lines_of(session, latest)
    if not lines:
        raise EmptyPlan()
    fit = fit_of(session, budget, lines)
    if fit.over and not organiser_of(session, budget).allows_own_share:
        raise PlanOverFrame()
    if fit.categories_over:
        raise CategoryOverShare()
    latest.own_share_cents = fit.own_share_cents
    latest.client_note = note
    latest.status = PlanStatus.submitted
    latest.submitted_at = utcnow()
    session.add(latest)
    log_change(
        session, actor, budget, PlanAction.submitted, latest, ("plan_version", latest.id), note
    )
    events.plan_submitted(session, budget, latest)
    return latest


def _submitted(session: Session, budget: Budget) -> PlanVersion:
    latest = latest_version(session, budget)
    if latest is None or latest.status != PlanStatus.submitted:
        raise NotSubmitted()
    return latest


def confirm(session: Session, actor: Actor, budget: Budget, comment: str) -> PlanVersion:
    """Confirm the sent version, re-checked against the frame as it is now: a frame lowered
    (or shares changed) since the client sent it is refused, not confirmed over it."""
    budget = ledger.lock_budget(session, budget)
    plan = _submitted(session, budget)
    fit = fit_of(session, budget, lines_of(session, plan))
    over_allowed = organiser_of(session, budget).allows_own_share
    if (
        fit.categories_over
        or (fit.over and not over_allowed)
        or fit.own_share_cents > plan.own_share_cents
    ):
        raise PlanNoLongerFits()
    previous = session.exec(
        select(PlanVersion).where(
            PlanVersion.budget_id == budget.id,
            PlanVersion.status == PlanStatus.confirmed,
            col(PlanVersion.superseded).is_(False),
        )
    ).all()
    kept: dict[str, OrderStatus] = {}
    for old in previous:
        old.superseded = True
        session.add(old)
        for line in lines_of(session, old):
            kept[line.line_key] = line.order_status
    for line in lines_of(session, plan):
        line.order_status = kept.get(line.line_key, OrderStatus.pending)
        session.add(line)
    events.orders_changed(session, budget, kept, lines_of(session, plan))
    return _decide(session, actor, budget, plan, PlanAction.confirmed, comment)


def return_plan(session: Session, actor: Actor, budget: Budget, comment: str) -> PlanVersion:
    budget = ledger.lock_budget(session, budget)
    return _decide(
        session, actor, budget, _submitted(session, budget), PlanAction.returned, comment
    )


def _decide(
    session: Session,
    actor: Actor,
    budget: Budget,
    plan: PlanVersion,
    action: PlanAction,
    comment: str,
) -> PlanVersion:
    """The worker's decision on a submitted version: stamped, logged and audited."""
    plan.status = DECISIONS[action]
    plan.review_comment = comment
    plan.decided_at = utcnow()
    plan.decided_by_id = actor.user_id
    session.add(plan)
    log_change(session, actor, budget, action, plan, ("plan_version", plan.id), comment)
    events.plan_decided(session, budget, plan, action is PlanAction.confirmed)
    return plan


def diff(
    old: list[PlanLine], new: list[PlanLine]
) -> list[tuple[str, PlanLine | None, PlanLine | None]]:
    """(change, old line, new line) with change in added / removed / changed / same."""
    before = {line.line_key: line for line in old}
    after = {line.line_key: line for line in new}
    result: list[tuple[str, PlanLine | None, PlanLine | None]] = []
    for key, line in after.items():
        prior = before.get(key)
        if prior is None:
            result.append(("added", None, line))
        elif (prior.quantity, prior.repeats, prior.cost_cents) != (
            line.quantity,
            line.repeats,
            line.cost_cents,
        ):
            result.append(("changed", prior, line))
        else:
            result.append(("same", prior, line))
    result.extend(("removed", line, None) for key, line in before.items() if key not in after)
    return result


def record_meeting(
    session: Session, actor: Actor, budget: Budget, kind: MeetingKind, held_on: date, notes: str
) -> Meeting:
    meeting = Meeting(
        budget_id=budget.id,  # type: ignore[arg-type]
        kind=kind,
        held_on=held_on,
        notes=notes,
        recorded_by_id=actor.user_id,
    )
    session.add(meeting)
    session.flush()
    record_change(session, actor, budget, "meeting", meeting.id)
    return meeting


def meetings(session: Session, budget: Budget) -> list[Meeting]:
    rows = select(Meeting).where(Meeting.budget_id == budget.id)
    return listed_newest_first(session, rows, Meeting.held_on)
