"""The balance at a glance: spent, committed and free, the months, the units left, one message.

All in integer cents. For the whole frame and for each part of it:
- spent: the budget's part of accepted deliveries (net of reversals), from the ledger;
- committed: what the confirmed plan still holds, line by line its cost less what the line
  has spent (never below zero);
- free: the frame (or the part) less spent less committed. Negative when the confirmed plan
  holds more than the money left (the client's own share, or a category over its share).

So spent + committed + free = frame exactly, for the total and for every part: in arm B the
parts are the category shares and the free part (`arithmetic.split_shares`), and the total is
their sum; in arm A the categories show spent and committed only (the frame is not divided).
Every page that shows a balance (the client's balance page, the plan page's summary) takes its
figures from `balance_of`, so "free" is one figure wherever it appears.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Session, col, select

from app.models.budget import Budget, PlanLine
from app.models.ledger import Delivery, DeliveryStatus, EntryKind, LedgerEntry
from app.services.budget import arithmetic, ledger, limits
from app.services.budget.deliveries import auto_accept_dates
from app.services.budget.frames import confirmed_version, lines_of, shares_of

SPENDING = (EntryKind.delivery_debit, EntryKind.correction)


@dataclass(frozen=True)
class LineUse:
    category_id: int
    cost_cents: int
    spent_cents: int  # what the line has spent so far (its line key, every plan version)

    @property
    def committed_cents(self) -> int:
        return max(0, self.cost_cents - self.spent_cents)


@dataclass(frozen=True)
class Part:
    """Spent, committed and free of the whole frame or of one part (category) of it."""

    category_id: int | None  # None: the total, or in arm B the free part
    frame_cents: int | None  # None: a category of an undivided frame (arm A)
    spent_cents: int
    committed_cents: int

    @property
    def free_cents(self) -> int | None:
        if self.frame_cents is None:
            return None
        return self.frame_cents - self.spent_cents - self.committed_cents

    @property
    def over_cents(self) -> int:
        """How much the committed plan goes over what is left (0 when it fits)."""
        free = self.free_cents
        return -free if free is not None and free < 0 else 0


def split(
    frame_cents: int,
    shares_bp: Mapping[int, int],
    lines: Iterable[LineUse],
    spent_by_category: Mapping[int | None, int],
) -> tuple[Part, list[Part]]:
    """(the total, the parts). Arm B (shares): the parts are each share and the free part, the
    total their sum. Arm A: one part per category with spending or a plan line, no frame."""
    committed: dict[int, int] = {}
    for line in lines:
        committed[line.category_id] = committed.get(line.category_id, 0) + line.committed_cents
    spent_total = sum(spent_by_category.values())
    if not shares_bp:
        keys = list(dict.fromkeys([*committed, *(k for k in spent_by_category if k is not None)]))
        parts = [Part(k, None, spent_by_category.get(k, 0), committed.get(k, 0)) for k in keys]
        if spent_by_category.get(None):
            parts.append(Part(None, None, spent_by_category[None], 0))
        total = Part(None, frame_cents, spent_total, sum(committed.values()))
        return total, parts
    amounts, free = arithmetic.split_shares(frame_cents, shares_bp)
    parts = [
        Part(k, amount, spent_by_category.get(k, 0), committed.get(k, 0))
        for k, amount in amounts.items()
    ]
    free_spent = sum(v for k, v in spent_by_category.items() if k not in amounts)
    free_committed = sum(v for k, v in committed.items() if k not in amounts)
    if free or free_spent or free_committed:
        parts.append(Part(None, free, free_spent, free_committed))
    total = Part(
        None,
        sum(p.frame_cents or 0 for p in parts),
        sum(p.spent_cents for p in parts),
        sum(p.committed_cents for p in parts),
    )
    return total, parts


@dataclass(frozen=True)
class Month:
    start: date  # the first day of the month
    spent_cents: int  # accepted deliveries delivered in the month
    forecast_cents: int  # the rest of the month (and later months) at the pace so far

    @property
    def key(self) -> str:
        return self.start.strftime("%Y-%m")


def _month_starts(first: date, last: date) -> list[date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def months(
    period_start: date, period_end: date, today: date, spent_on: Mapping[date, int]
) -> list[Month]:
    """Spending per calendar month of the period, and the forecast for the days after today
    at the pace so far (the spending until today over the days elapsed), in whole cents."""
    days_elapsed = (min(today, period_end) - period_start).days + 1
    spent = sum(spent_on.values())
    result = []
    for start in _month_starts(period_start, period_end):
        end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        in_month = sum(v for day, v in spent_on.items() if start <= day < end)
        first_future = max(start, period_start, date.fromordinal(today.toordinal() + 1))
        last = min(date.fromordinal(end.toordinal() - 1), period_end)
        future_days = max(0, (last - first_future).days + 1)
        forecast = 0
        if spent > 0 and days_elapsed > 0 and future_days:
            forecast = spent * future_days // days_elapsed
        result.append(Month(start, in_month, forecast))
    return result


class Outlook(StrEnum):
    """The one message of the balance (the first that applies, in this order)."""

    over = "over"  # the confirmed plan holds more than the money left
    runs_out = "runs_out"  # at the pace so far the money runs out before the period ends
    unused = "unused"  # the period ends soon and much of the money is free
    no_plan = "no_plan"  # no confirmed plan yet
    not_started = "not_started"  # nothing spent yet
    on_track = "on_track"  # the money lasts the whole period at this pace

    @property
    def level(self) -> str:
        if self in (Outlook.over, Outlook.runs_out, Outlook.unused):
            return "warning"
        return "success" if self is Outlook.on_track else "info"


def outlook(total: Part, pace: arithmetic.Pace, has_plan: bool) -> Outlook:
    if total.over_cents:
        return Outlook.over
    if pace.lasts_until is not None:
        return Outlook.runs_out
    if pace.underspend_warning:
        return Outlook.unused
    if not has_plan:
        return Outlook.no_plan
    if total.spent_cents == 0:
        return Outlook.not_started
    return Outlook.on_track


@dataclass(frozen=True)
class LineUnits:
    line: PlanLine
    used: int  # units of accepted (paid) deliveries
    waiting: int  # units reported, waiting for the client's acceptance

    @property
    def planned(self) -> int:
        return self.line.quantity * self.line.repeats

    @property
    def left(self) -> int:
        return max(0, self.planned - self.used - self.waiting)


@dataclass(frozen=True)
class Waiting:
    delivery: Delivery
    line: PlanLine
    accepted_on: date | None  # when it is accepted automatically


@dataclass(frozen=True)
class Balance:
    budget: Budget
    total: Part
    parts: list[Part]
    divided: bool  # arm B: the frame is divided into category shares
    months: list[Month]
    lines: list[LineUnits]
    waiting: list[Waiting]
    pace: arithmetic.Pace
    outlook: Outlook
    has_plan: bool
    own_share_paid_cents: int

    @property
    def forecast_total_cents(self) -> int:
        """What is spent by the period's end at the pace so far."""
        return sum(m.spent_cents + m.forecast_cents for m in self.months)

    @property
    def largest_month_cents(self) -> int:
        return max((m.spent_cents + m.forecast_cents for m in self.months), default=0)


def _spent_on(session: Session, budget: Budget) -> dict[date, int]:
    """The budget's spending by the day of the delivery (an entry with no delivery: the day
    it was posted), positive cents; sums to the spending total."""
    rows = session.exec(
        select(LedgerEntry.amount_cents, LedgerEntry.posted_at, Delivery.delivered_on)
        .outerjoin(Delivery, col(Delivery.id) == LedgerEntry.delivery_id)
        .where(LedgerEntry.budget_id == budget.id, col(LedgerEntry.kind).in_(SPENDING))
    ).all()
    spent: dict[date, int] = {}
    for amount, posted_at, delivered_on in rows:
        day = delivered_on or (posted_at.date() if isinstance(posted_at, datetime) else posted_at)
        spent[day] = spent.get(day, 0) - int(amount)
    return spent


def _units(session: Session, budget: Budget, lines: Sequence[PlanLine]) -> list[LineUnits]:
    rows = session.exec(
        select(PlanLine.line_key, Delivery.units, Delivery.status, limits.paid_now())
        .join(PlanLine, col(PlanLine.id) == Delivery.plan_line_id)
        .where(Delivery.budget_id == budget.id)
    ).all()
    used: dict[str, int] = {}
    waiting: dict[str, int] = {}
    for key, units, status, paid in rows:
        if paid:
            used[key] = used.get(key, 0) + units
        elif status == DeliveryStatus.reported:
            waiting[key] = waiting.get(key, 0) + units
    return [
        LineUnits(line, used.get(line.line_key, 0), waiting.get(line.line_key, 0)) for line in lines
    ]


def _waiting(session: Session, budget: Budget) -> list[Waiting]:
    dates = auto_accept_dates(session, budget)
    rows = session.exec(
        select(Delivery, PlanLine)
        .join(PlanLine, col(PlanLine.id) == Delivery.plan_line_id)
        .where(Delivery.budget_id == budget.id, Delivery.status == DeliveryStatus.reported)
        .order_by(col(Delivery.delivered_on), col(Delivery.id))
    ).all()
    return [Waiting(d, line, dates.get(d.id or 0)) for d, line in rows]


def balance_of(session: Session, budget: Budget, today: date) -> Balance:
    """The budget's balance on `today` (the one source of every balance figure shown)."""
    confirmed = confirmed_version(session, budget)
    lines = lines_of(session, confirmed)
    by_line = ledger.spent_by_line_key(session, budget)
    uses = [LineUse(li.category_id, li.cost_cents, by_line.get(li.line_key, 0)) for li in lines]
    spent_on = _spent_on(session, budget)
    by_category = ledger.spent_by_category(session, budget)
    shares = shares_of(budget)
    total, parts = split(budget.frame_cents, shares, uses, by_category)
    pace = arithmetic.pace(
        budget.frame_cents, total.spent_cents, budget.period_start, budget.period_end, today
    )
    return Balance(
        budget=budget,
        total=total,
        parts=parts,
        divided=bool(shares),
        months=months(budget.period_start, budget.period_end, today, spent_on),
        lines=_units(session, budget, lines),
        waiting=_waiting(session, budget),
        pace=pace,
        outlook=outlook(total, pace, confirmed is not None),
        has_plan=confirmed is not None,
        own_share_paid_cents=ledger.own_share_used(session, budget),
    )
