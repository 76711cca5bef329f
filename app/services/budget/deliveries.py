"""Provider orders (lines of confirmed plans), deliveries and their confirmation.

Confirming a delivery posts to the ledger under the budget row lock: the budget pays what
its balance covers, the client's own share (allowed by the confirmed plan) the rest;
anything beyond both is refused.

A delivery is dated on a day of its budget's period and not after today (Finnish time). A
delivery the client neither confirms nor disputes is accepted automatically: the clock starts
on the day the provider reports it (its `created_at`), never on the delivery date the provider
writes, so a backdated delivery can't shorten the client's time to check it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.errors import Conflict, Invalid, NotFound
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.audit import AuditAction
from app.models.base import utcnow
from app.models.budget import Budget, OrderStatus, PlanAction, PlanLine, PlanStatus, PlanVersion
from app.models.ledger import (
    Delivery,
    DeliveryAction,
    DeliveryEvent,
    DeliveryStatus,
    EntryKind,
)
from app.models.organiser import Organiser
from app.models.user import User
from app.repositories.budget import (
    readable_deliveries,
    readable_order_lines,
)
from app.services.budget import arithmetic, ledger, limits
from app.services.budget.frames import log_change, record_change
from app.services.identity.mandates import FINLAND
from app.services.identity.mandates import today as finnish_today
from app.services.notifications import events

DONE = limits.DONE
# The units a line has used: reported (waiting) and paid (`limits.paid_now`); a dispute of
# an unpaid report frees them until the provider answers (a corrected report then takes them
# again).


class LineNotOpen(Conflict):
    default_text = lazy_gettext("Deliveries can be reported only for accepted orders.")


class TooManyUnits(Invalid):
    default_text = lazy_gettext("That is more than the plan has left for this service.")


class DeliveryInFuture(Invalid):
    default_text = lazy_gettext("A delivery can be reported only once it has happened.")


class DeliveryOutsidePeriod(Invalid):
    default_text = lazy_gettext("The delivery date must fall within the budget period.")


class Overdraw(Conflict):
    default_text = lazy_gettext(
        "This delivery would go over the budget and no own share covers it. "
        "Your worker has been told."
    )


class AlreadyDecided(Conflict):
    default_text = lazy_gettext("This has already been decided.")


@dataclass(frozen=True)
class Order:
    line: PlanLine
    client_name: str
    delivered_units: int


def _order_budget(session: Session, line: PlanLine) -> tuple[PlanVersion, Budget]:
    plan = session.get(PlanVersion, line.plan_version_id)
    assert plan is not None
    budget = session.get(Budget, plan.budget_id)
    assert budget is not None
    return plan, budget


def _delivered_units(session: Session, line: PlanLine) -> int:
    deliveries = session.exec(
        select(Delivery)
        .join(PlanLine, col(PlanLine.id) == Delivery.plan_line_id)
        .where(
            PlanLine.line_key == line.line_key,
            or_(Delivery.status == DeliveryStatus.reported, limits.paid_now()),
        )
    ).all()
    return sum(d.units for d in deliveries)


def order(session: Session, actor: Actor, line_id: int) -> Order:
    """A line of a confirmed plan in force, from the actor's providers (else not found): the
    client's name and what only."""
    line = session.exec(
        readable_order_lines(actor)
        .join(PlanVersion, col(PlanVersion.id) == PlanLine.plan_version_id)
        .where(PlanVersion.status == PlanStatus.confirmed, col(PlanVersion.superseded).is_(False))
        .where(col(PlanLine.id) == line_id)
    ).first()
    if line is None:
        raise NotFound()
    _plan, budget = _order_budget(session, line)
    client = session.get(User, budget.client_id)
    return Order(line, client.display_name if client else "?", _delivered_units(session, line))


def decide_order(session: Session, actor: Actor, line_id: int, accept: bool) -> PlanLine:
    line = order(session, actor, line_id).line
    if line.order_status != OrderStatus.pending:
        raise AlreadyDecided()
    plan, budget = _order_budget(session, line)
    line.order_status = OrderStatus.accepted if accept else OrderStatus.declined
    line.order_decided_at = utcnow()
    session.add(line)
    action = PlanAction.order_accepted if accept else PlanAction.order_declined
    log_change(session, actor, budget, action, plan, ("plan_line", line.id))
    events.order_decided(session, budget, line, accept)
    session.flush()
    return line


def report_delivery(
    session: Session,
    actor: Actor,
    line_id: int,
    delivered_on: date,
    units: int,
    note: str,
    today: date | None = None,
) -> Delivery:
    """The provider reports units delivered on `delivered_on`: a day of the budget period, not
    after `today` (Finnish time by default). The auto-accept clock starts now (see above)."""
    _plan, budget = _order_budget(session, order(session, actor, line_id).line)
    ledger.lock_budget(session, budget)  # the units left are counted under the lock
    found = order(session, actor, line_id)
    line = found.line
    if line.order_status != OrderStatus.accepted:
        raise LineNotOpen()
    if units <= 0 or found.delivered_units + units > line.quantity * line.repeats:
        raise TooManyUnits()
    if delivered_on > (today or finnish_today()):
        raise DeliveryInFuture()
    if not budget.period_start <= delivered_on <= budget.period_end:
        raise DeliveryOutsidePeriod()
    delivery = Delivery(
        budget_id=budget.id,  # type: ignore[arg-type]
        plan_line_id=line.id,  # type: ignore[arg-type]
        provider_id=line.provider_id,
        delivered_on=delivered_on,
        units=units,
        amount_cents=units * line.unit_price_cents,
        note=note,
        reported_by_id=actor.user_id,
    )
    session.add(delivery)
    session.flush()
    events.delivery_reported(session, budget, delivery)
    record_change(session, actor, budget, "delivery", delivery.id, AuditAction.create)
    return delivery


def client_deliveries(session: Session, budget: Budget) -> list[tuple[Delivery, PlanLine]]:
    rows = session.exec(
        select(Delivery, PlanLine)
        .join(PlanLine, col(PlanLine.id) == Delivery.plan_line_id)
        .where(Delivery.budget_id == budget.id)
        .order_by(col(Delivery.delivered_on).desc(), col(Delivery.id).desc())
    ).all()
    return [(d, line) for d, line in rows]


def client_delivery(
    session: Session, actor: Actor | None, budget: Budget, delivery_id: int, any_on: bool = False
) -> Delivery:
    """A delivery on `budget` that the actor may decide; the system (no actor) decides any,
    and so does whoever found `budget` in their own scope (`any_on`: the case worker)."""
    anyone = actor is None or any_on
    readable = select(Delivery) if anyone else readable_deliveries(actor)  # type: ignore[arg-type]
    delivery = session.exec(
        readable.where(Delivery.id == delivery_id, Delivery.budget_id == budget.id)
    ).first()
    if delivery is None:
        raise NotFound()
    return delivery


def mark_decided(
    session: Session, actor: Actor | None, delivery: Delivery, status: DeliveryStatus
) -> None:
    delivery.status = status
    delivery.decided_by_id = actor.user_id if actor else None
    delivery.decided_at = utcnow()
    session.add(delivery)


def accept(
    session: Session,
    actor: Actor | None,
    budget: Budget,
    delivery_id: int,
    status: DeliveryStatus = DeliveryStatus.confirmed,
    expected: DeliveryStatus = DeliveryStatus.reported,
    any_on: bool = False,
) -> Delivery:
    """Confirm a delivery and post it: idempotent, refused if it would overdraw. `any_on`:
    the caller found `budget` in its own scope (the case worker deciding a dispute)."""
    return _accept(session, actor, budget, delivery_id, status, expected, any_on)[0]


def _accept(
    session: Session,
    actor: Actor | None,
    budget: Budget,
    delivery_id: int,
    status: DeliveryStatus,
    expected: DeliveryStatus = DeliveryStatus.reported,
    any_on: bool = False,
) -> tuple[Delivery, bool]:
    """(the delivery, whether this call posted it). Every limit is checked again here, under
    the budget's lock: the line in force and its units, the category share, the balance.
    `expected`: the status it is posted from (a contested one only by the case worker)."""
    budget = ledger.lock_budget(session, budget)
    delivery = client_delivery(session, actor, budget, delivery_id, any_on)
    if delivery.status in DONE:
        return delivery, False
    if delivery.status != expected:
        raise AlreadyDecided()
    line = limits.line_in_force(session, budget, delivery)
    plan = session.get(PlanVersion, line.plan_version_id)
    assert plan is not None
    if limits.confirmed_units(session, line) + delivery.units > line.quantity * line.repeats:
        raise TooManyUnits()
    own_left = plan.own_share_cents - ledger.own_share_spent(session, budget)
    payable = ledger.balance(session, budget)
    category_left = limits.category_left(session, budget, line)
    if category_left is not None:
        payable = min(payable, category_left)
    try:
        from_budget, own = arithmetic.split_delivery(delivery.amount_cents, payable, own_left)
    except ValueError as exc:
        events.overdraw(session, budget, delivery)
        raise Overdraw() from exc
    ledger.post(
        session,
        budget,
        EntryKind.delivery_debit,
        -from_budget,
        f"delivery:{delivery.id}",
        actor=actor,
        delivery=delivery,
        line=line,
    )
    if own:
        ledger.post_own_part(session, budget, delivery, line, own, actor)
    delivery.budget_cents, delivery.own_share_cents = from_budget, own
    mark_decided(session, actor, delivery, status)
    if expected == DeliveryStatus.reported:  # the case worker's decision writes its own
        session.add(history_event(actor, delivery, DeliveryAction(status.value)))
    events.delivery_confirmed(session, delivery)
    session.flush()
    _alerts(session, budget)
    if actor is not None:
        record_change(session, actor, budget, "delivery", delivery.id)
    return delivery, True


def history_event(
    actor: Actor | None, delivery: Delivery, action: DeliveryAction, **details: Any
) -> DeliveryEvent:
    """One row of the delivery's history (`details`: reason, note, units, related_id)."""
    return DeliveryEvent(
        delivery_id=delivery.id,  # type: ignore[arg-type]
        budget_id=delivery.budget_id,
        action=action,
        actor_id=actor.user_id if actor else None,
        on_behalf_of_id=actor.on_behalf_of.id if actor and actor.on_behalf_of else None,
        **details,
    )


def _alerts(session: Session, budget: Budget) -> None:
    spent = budget.frame_cents - ledger.balance(session, budget)
    for threshold in arithmetic.crossed_thresholds(spent, budget.frame_cents):
        events.budget_used(session, budget, threshold)


def auto_accept_on(delivery: Delivery, organiser: Organiser) -> date:
    """The day a delivery nobody decides is accepted: the organiser's days after it was
    reported (not after its delivery date)."""
    return delivery.created_at.date() + timedelta(days=organiser.delivery_auto_accept_days)


def _reported(session: Session, *where: Any) -> list[tuple[Delivery, Budget, Organiser]]:
    rows = session.exec(
        select(Delivery, Budget, Organiser)
        .join(Budget, col(Budget.id) == Delivery.budget_id)
        .join(Organiser, col(Organiser.id) == Budget.organiser_id)
        .where(Delivery.status == DeliveryStatus.reported, *where)
        .order_by(col(Delivery.id))
    ).all()
    return [(d, b, o) for d, b, o in rows]


def auto_accept_dates(session: Session, budget: Budget) -> dict[int, date]:
    """For each undecided delivery of the budget, the day it will be accepted automatically."""
    rows = _reported(session, Delivery.budget_id == budget.id)
    return {d.id: auto_accept_on(d, o) for d, _b, o in rows if d.id is not None}


def auto_accept(session: Session, today: date) -> tuple[int, int]:
    """Accept deliveries nobody decided within the organiser's days, counted from the day the
    provider reported the delivery (not its delivery date): (accepted, refused)."""
    done = refused = 0
    for delivery, budget, organiser in _reported(session):
        if auto_accept_on(delivery, organiser) > today:
            continue
        try:
            with session.begin_nested():
                _delivery, posted = _accept(
                    session,
                    None,
                    budget,
                    delivery.id,  # type: ignore[arg-type]
                    DeliveryStatus.auto_accepted,
                )
        except AlreadyDecided:
            continue  # confirmed or disputed meanwhile: not this run's
        except (Overdraw, TooManyUnits, limits.LineNotInForce):
            refused += 1
            continue
        done += posted
    return done, refused


def auto_accept_job(session: Session, now: datetime) -> tuple[int, int]:
    """The scheduled job: auto-accept what is due today in Finland."""
    return auto_accept(session, now.astimezone(FINLAND).date())
