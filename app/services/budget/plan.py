"""Plan versions: draft -> submitted -> confirmed | returned. Confirmed versions are immutable;
changing a confirmed plan starts a new version that needs confirmation again."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, select

from app.errors import Conflict, Invalid, NotFound
from app.i18n import lazy_gettext
from app.models.actor import Actor, MandateScope
from app.models.base import utcnow
from app.models.budget import (
    Budget,
    OrderStatus,
    PlanAction,
    PlanLine,
    PlanStatus,
    PlanVersion,
)
from app.repositories.scope import client_side_id
from app.services.assessment import goals
from app.services.budget import arithmetic, ledger
from app.services.budget.frames import (
    fit_of,
    latest_version,
    lines_of,
    log_change,
    log_event,
    organiser_of,
)
from app.services.budget.plan_offers import available_offer
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


class OwnShareNotAccepted(Invalid):
    """An over-frame plan is sent only with the own share the client saw and accepted; a
    confirmation made before the plan or the frame changed names another amount."""

    default_text = lazy_gettext(
        "The plan costs more than your budget frame. Check the own share you would pay "
        "and confirm it before sending the plan."
    )


class NotWaiting(Conflict):
    default_text = lazy_gettext(
        "The plan is no longer waiting for your worker's decision, so it cannot be taken back."
    )


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


def pending_own_share(session: Session, budget: Budget) -> int:
    """The own share the editable plan would create if it were sent now (0 when it fits)."""
    lines = lines_of(session, latest_version(session, budget))
    return fit_of(session, budget, lines).own_share_cents


def submit(
    session: Session,
    actor: Actor,
    budget: Budget,
    note: str,
    version_number: int | None = None,
    accepted_own_share_cents: int | None = None,
) -> PlanVersion:
    """Send the editable version to the worker. A plan over the frame (where the organiser
    allows an own share) is sent only when `accepted_own_share_cents` is the own share it
    creates now: the client confirmed exactly that amount."""
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
    if fit.own_share_cents and accepted_own_share_cents != fit.own_share_cents:
        raise OwnShareNotAccepted()
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


def take_back(session: Session, actor: Actor, budget: Budget, version_number: int) -> PlanVersion:
    """The client (or an assistant with a plan mandate) takes a sent version back before the
    worker decides: it is a draft again, to change and send again. The worker's "decide the
    plan" notice is handled and they are told. Taking back a version already taken back is
    a no-op; a version decided meanwhile is `NotWaiting`."""
    if client_side_id(actor) != budget.client_id or not actor.can_act(MandateScope.plan):
        raise NotFound()
    budget = ledger.lock_budget(session, budget)
    latest = latest_version(session, budget)
    if latest is None or latest.number != version_number:
        raise NotWaiting()
    if latest.status == PlanStatus.draft:
        return latest
    if latest.status != PlanStatus.submitted:
        raise NotWaiting()
    latest.status = PlanStatus.draft
    latest.submitted_at = None
    latest.own_share_cents = 0
    session.add(latest)
    log_change(session, actor, budget, PlanAction.taken_back, latest, ("plan_version", latest.id))
    events.plan_taken_back(session, budget, latest)
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
