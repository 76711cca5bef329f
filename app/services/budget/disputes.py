"""Disputed deliveries: the client says a reported delivery is not right, the provider
answers, and a contested dispute is decided by the client's case worker.

    reported --client--> disputed --provider--> corrected (a new report replaces it)
                                            \\-> withdrawn (nothing is paid)
                                            \\-> contested --case worker--> confirmed (posted)
                                                                       \\-> corrected (fewer
                                                                            units, posted)
                                                                       \\-> rejected

A reported delivery is disputed before it is posted: every outcome is nothing or a posting
through `deliveries._accept` (`ledger.post`). A confirmed or automatically accepted delivery
can still be disputed within `LATE_DISPUTE_DAYS` of its acceptance (once, and not after a case
worker's decision): it stays paid (and its units used) until the outcome, and an outcome that
takes the payment away (corrected, withdrawn, fewer units, rejected) posts a reversing entry
of each of its entries (`ledger.reverse_delivery`), which settlement carries into the
provider's next open settlement as an adjustment line when the delivery's month is already
approved. No ledger entry is ever edited. Each step is a guarded transition: the budget's
lock, the delivery read again under it, its status compared with the one the step starts
from. Each step writes a `DeliveryEvent` (the history all three see) and the audit trail.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, timedelta

from sqlmodel import Session, col, select

from app.errors import Conflict, Invalid, NotFound
from app.i18n import lazy_gettext
from app.models.actor import Actor
from app.models.budget import Budget, PlanLine
from app.models.ledger import (
    Delivery,
    DeliveryAction,
    DeliveryEvent,
    DeliveryStatus,
    DisputeOutcome,
    DisputeReason,
)
from app.repositories.budget import readable_provider_deliveries
from app.services.budget import deliveries, ledger, limits
from app.services.budget.deliveries import AlreadyDecided, history_event
from app.services.budget.delivery_history_rows import (  # noqa: F401 - the history's home
    CHAIN_MAX,
    HistoryRow,
    chain,
    chains,
    histories,
    history,
)
from app.services.budget.frames import record_change
from app.services.identity.mandates import FINLAND
from app.services.identity.mandates import today as finnish_today
from app.services.notifications import events

Outcome = DisputeOutcome


# A paid delivery can be disputed for this many days after it was confirmed or accepted.
LATE_DISPUTE_DAYS = 30
PAID = (DeliveryStatus.confirmed, DeliveryStatus.auto_accepted)
# A case worker's decision is final: a delivery it reached can't be disputed again.
FINAL = (DeliveryAction.disputed, DeliveryAction.accepted, DeliveryAction.reduced)


class FewerUnitsNeeded(Invalid):
    default_text = lazy_gettext("Give fewer units than were reported.")


class DisputeWindowClosed(Conflict):
    default_text = lazy_gettext(
        "This delivery can no longer be disputed here. Contact your case worker."
    )


def _guarded(
    session: Session, budget: Budget, delivery_id: int, expected: DeliveryStatus, any_on: bool
) -> tuple[Budget, Delivery]:
    """Lock the budget, read the delivery again and check it is still `expected`."""
    budget = ledger.lock_budget(session, budget)
    delivery = deliveries.client_delivery(session, None, budget, delivery_id, any_on)
    if delivery.status != expected:
        raise AlreadyDecided()
    return budget, delivery


def _step(
    session: Session,
    actor: Actor,
    budget: Budget,
    delivery: Delivery,
    status: DeliveryStatus,
    action: DeliveryAction,
    **details: object,
) -> None:
    deliveries.mark_decided(session, actor, delivery, status)
    session.add(history_event(actor, delivery, action, **details))  # type: ignore[arg-type]
    session.flush()
    record_change(session, actor, budget, "delivery", delivery.id)


def dispute(
    session: Session,
    actor: Actor,
    budget: Budget,
    delivery_id: int,
    note: str,
    reason: DisputeReason = DisputeReason.not_right,
    seen: DeliveryStatus = DeliveryStatus.reported,
    today: date | None = None,
) -> Delivery:
    """The client (or an assistant with a mandate) disputes a delivery in the status they
    saw (`seen`): a reported one, or a paid one within its window (`late_dispute_until`). The
    provider who reported it is told. Confirm, dispute and auto-accept: one wins."""
    budget = ledger.lock_budget(session, budget)
    delivery = deliveries.client_delivery(session, actor, budget, delivery_id)
    if delivery.status != seen or seen not in (DeliveryStatus.reported, *PAID):
        raise AlreadyDecided()
    if seen in PAID:
        until = late_dispute_until(session, delivery)
        if until is None or until < (today or finnish_today()):
            raise DisputeWindowClosed()
    delivery.dispute_reason = note
    _step(
        session, actor, budget, delivery, DeliveryStatus.disputed, DeliveryAction.disputed,
        reason=reason, note=note,
    )  # fmt: skip
    events.delivery_disputed(session, budget, delivery)
    return delivery


def late_dispute_until(session: Session, delivery: Delivery) -> date | None:
    """The last day (Finnish) a paid delivery can be disputed; None if it can't be: not paid,
    disputed once already, or reached through a case worker's decision."""
    if delivery.id is None:
        return None
    return _late_dispute_days(session, [delivery]).get(delivery.id)


def _late_dispute_days(session: Session, rows: Sequence[Delivery]) -> dict[int, date]:
    """`late_dispute_until` of each delivery that has one, in a few queries for any number."""
    paid = [d for d in rows if d.status in PAID and d.decided_at is not None and d.id]
    followed = chains(session, [d.id for d in paid])  # type: ignore[misc]
    every = {i for ids in followed.values() for i in ids}
    final = set(
        session.exec(
            select(DeliveryEvent.delivery_id).where(
                col(DeliveryEvent.delivery_id).in_(every), col(DeliveryEvent.action).in_(FINAL)
            )
        ).all()
    ) if every else set()  # fmt: skip
    days = {}
    for delivery in paid:
        if final & set(followed[delivery.id]):  # type: ignore[index]
            continue
        decided = delivery.decided_at
        assert decided is not None
        decided = decided if decided.tzinfo else decided.replace(tzinfo=UTC)
        days[delivery.id] = decided.astimezone(FINLAND).date() + timedelta(days=LATE_DISPUTE_DAYS)
    return days  # type: ignore[return-value]


def late_dispute_dates(session: Session, rows: list[Delivery], today: date) -> dict[int, date]:
    """For each paid delivery that can still be disputed, the last day it can be."""
    return {k: v for k, v in _late_dispute_days(session, rows).items() if v >= today}


def _reverse_if_paid(session: Session, actor: Actor, budget: Budget, delivery: Delivery) -> None:
    """An outcome that takes a paid delivery's payment away: a reversing entry of each of its
    entries (never an edit), in the delivery's history."""
    if not ledger.delivery_paid(session, delivery):
        return
    ledger.reverse_delivery(session, budget, delivery, actor)
    session.add(history_event(actor, delivery, DeliveryAction.reversed))
    session.flush()


def provider_delivery(session: Session, actor: Actor, delivery_id: int) -> tuple[Delivery, Budget]:
    """One of the actor's providers' deliveries, and its budget; another's is not found."""
    delivery = session.exec(
        readable_provider_deliveries(actor).where(Delivery.id == delivery_id)
    ).first()
    if delivery is None:
        raise NotFound()
    budget = session.get(Budget, delivery.budget_id)
    assert budget is not None
    return delivery, budget


def correct(
    session: Session,
    actor: Actor,
    delivery_id: int,
    delivered_on: date,
    units: int,
    note: str,
    today: date | None = None,
) -> Delivery:
    """The provider corrects a disputed delivery: a new report (checked like any report)
    replaces it and goes back to the client to confirm. Nothing is posted yet."""
    delivery, budget = provider_delivery(session, actor, delivery_id)
    budget, delivery = _guarded(session, budget, delivery_id, DeliveryStatus.disputed, True)
    line = limits.line_in_force(session, budget, delivery)
    with session.begin_nested():  # a refused correction leaves the dispute as it was
        _reverse_if_paid(session, actor, budget, delivery)
        deliveries.mark_decided(session, actor, delivery, DeliveryStatus.corrected)
        session.flush()  # the old report no longer counts against the line
        new = deliveries.report_delivery(
            session,
            actor,
            line.id,
            delivered_on,
            units,
            note,
            today,  # type: ignore[arg-type]
        )
    _replaced(session, actor, budget, delivery, new, DeliveryAction.corrected, note)
    events.dispute_answered(session, delivery)
    return new


def _replaced(
    session: Session,
    actor: Actor,
    budget: Budget,
    old: Delivery,
    new: Delivery,
    action: DeliveryAction,
    note: str,
) -> None:
    """The history of a replacement, on both deliveries, and its audit."""
    session.add(history_event(actor, old, action, related_id=new.id))
    replaces = DeliveryAction.replaces
    session.add(history_event(actor, new, replaces, related_id=old.id, units=new.units, note=note))
    session.flush()
    record_change(session, actor, budget, "delivery", old.id)


def _answer(
    session: Session,
    actor: Actor,
    delivery_id: int,
    status: DeliveryStatus,
    note: str,
) -> tuple[Delivery, Budget]:
    """The provider's answer to a dispute other than a correction (withdrawn, contested)."""
    delivery, budget = provider_delivery(session, actor, delivery_id)
    budget, delivery = _guarded(session, budget, delivery_id, DeliveryStatus.disputed, True)
    if status == DeliveryStatus.withdrawn:
        _reverse_if_paid(session, actor, budget, delivery)
    action = DeliveryAction(status.value)
    _step(session, actor, budget, delivery, status, action, note=note)
    return delivery, budget


def withdraw(session: Session, actor: Actor, delivery_id: int, note: str) -> Delivery:
    """The provider takes a disputed delivery back: nothing is paid; the client is told."""
    delivery, budget = _answer(session, actor, delivery_id, DeliveryStatus.withdrawn, note)
    events.dispute_resolved(session, budget, delivery)
    return delivery


def contest(session: Session, actor: Actor, delivery_id: int, note: str) -> Delivery:
    """The provider stands by a disputed delivery: the client's case worker decides."""
    delivery, budget = _answer(session, actor, delivery_id, DeliveryStatus.contested, note)
    events.dispute_contested(session, budget, delivery)
    return delivery


def decide(
    session: Session,
    actor: Actor,
    budget: Budget,
    delivery_id: int,
    outcome: Outcome,
    note: str,
    units: int | None = None,
) -> Delivery:
    """The case worker decides a contested delivery of a budget in their caseload (the
    caller found `budget` through `readable_caseload_budgets`): accepted as reported (the
    whole delivery posted), with fewer units (a corrected delivery replaces it and is
    posted), or rejected (nothing). The client and the provider are told."""
    budget, delivery = _guarded(session, budget, delivery_id, DeliveryStatus.contested, True)
    result = delivery
    paid = ledger.delivery_paid(session, delivery) > 0
    if outcome == Outcome.accept and paid:  # disputed after payment: it stays paid
        _step(
            session, actor, budget, delivery, DeliveryStatus.confirmed, DeliveryAction.accepted,
            note=note,
        )  # fmt: skip
    elif outcome == Outcome.accept:
        result = deliveries.accept(
            session, actor, budget, delivery_id, expected=DeliveryStatus.contested, any_on=True
        )
        session.add(history_event(actor, delivery, DeliveryAction.accepted, note=note))
        session.flush()
    elif outcome == Outcome.reduce:
        result = _reduce(session, actor, budget, delivery, note, units)
    else:
        _reverse_if_paid(session, actor, budget, delivery)
        _step(
            session, actor, budget, delivery, DeliveryStatus.rejected, DeliveryAction.rejected,
            note=note,
        )  # fmt: skip
    events.dispute_resolved(session, budget, delivery)
    return result


def _reduce(
    session: Session,
    actor: Actor,
    budget: Budget,
    delivery: Delivery,
    note: str,
    units: int | None,
) -> Delivery:
    if units is None or not 0 < units < delivery.units:
        raise FewerUnitsNeeded()
    _reverse_if_paid(session, actor, budget, delivery)
    unit_price = delivery.amount_cents // delivery.units
    reduced = Delivery(
        budget_id=delivery.budget_id,
        plan_line_id=delivery.plan_line_id,
        provider_id=delivery.provider_id,
        delivered_on=delivery.delivered_on,
        units=units,
        amount_cents=units * unit_price,
        note=delivery.note,
        reported_by_id=delivery.reported_by_id,
    )
    session.add(reduced)
    deliveries.mark_decided(session, actor, delivery, DeliveryStatus.corrected)
    session.flush()
    _replaced(session, actor, budget, delivery, reduced, DeliveryAction.reduced, note)
    return deliveries.accept(session, actor, budget, reduced.id, any_on=True)  # type: ignore[arg-type]


def open_for_provider(session: Session, actor: Actor) -> list[tuple[Delivery, PlanLine]]:
    """The actor's providers' deliveries waiting for an answer or a decision, with the line
    they were reported on."""
    waiting = (DeliveryStatus.disputed, DeliveryStatus.contested)
    rows = session.exec(
        readable_provider_deliveries(actor)
        .where(col(Delivery.status).in_(waiting))
        .order_by(col(Delivery.id))
    ).all()
    ids = {d.plan_line_id for d in rows}
    lines = {
        line.id: line
        for line in session.exec(select(PlanLine).where(col(PlanLine.id).in_(ids))).all()
    }
    return [(d, lines[d.plan_line_id]) for d in rows]
