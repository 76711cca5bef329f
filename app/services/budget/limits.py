"""The limits a delivery is checked against again when it is posted, under the budget's lock
(not only when the plan was made): the line as the plan in force has it, the units the line
has left, the category share (arm B). The balance is checked by `arithmetic.split_delivery`.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, select

from app.errors import Conflict
from app.i18n import lazy_gettext
from app.models.budget import Budget, PlanLine
from app.models.ledger import Delivery, DeliveryStatus
from app.services.budget import arithmetic, ledger

DONE = (DeliveryStatus.confirmed, DeliveryStatus.auto_accepted)
# Disputed after it was paid: the payment (and the units) hold until the dispute's outcome.
HELD = (DeliveryStatus.disputed, DeliveryStatus.contested)


def paid_now() -> ColumnElement[bool]:
    """Deliveries paid now: confirmed or accepted, or disputed after they were paid."""
    paid = col(Delivery.budget_cents) + col(Delivery.own_share_cents) > 0
    return or_(col(Delivery.status).in_(DONE), and_(col(Delivery.status).in_(HELD), paid))


class LineNotInForce(Conflict):
    default_text = lazy_gettext(
        "The plan in force no longer has this service, so this delivery cannot be paid from "
        "the budget."
    )


def line_in_force(session: Session, budget: Budget, delivery: Delivery) -> PlanLine:
    """The delivery's line as the plan in force has it now (a later version may have removed
    or changed it): what the delivery is checked and paid against."""
    reported = session.get(PlanLine, delivery.plan_line_id)
    assert reported is not None
    line = session.exec(
        ledger.lines_in_force(budget).where(PlanLine.line_key == reported.line_key)
    ).first()
    if line is None:
        raise LineNotInForce()
    return line


def confirmed_units(session: Session, line: PlanLine) -> int:
    done = session.exec(
        select(Delivery)
        .join(PlanLine, col(PlanLine.id) == Delivery.plan_line_id)
        .where(PlanLine.line_key == line.line_key, paid_now())
    ).all()
    return sum(d.units for d in done)


def category_left(session: Session, budget: Budget, line: PlanLine) -> int | None:
    """What the line's category share has left (arm B), None when no share limits it."""
    shares = {int(k): v for k, v in budget.shares_bp.items()}
    if not shares:
        return None
    amounts, free = arithmetic.split_shares(budget.frame_cents, shares)
    spent = ledger.spent_by_category(session, budget)
    if line.category_id in amounts:
        return amounts[line.category_id] - spent.get(line.category_id, 0)
    others = sum(v for k, v in spent.items() if k not in amounts)
    return free - others
