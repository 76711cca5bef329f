"""Budget arithmetic as pure functions: no database, no I/O, integer cents only.

Rounding rules (the only place they are stated):
- A line's cost is quantity x repeats x unit price: integers, so no rounding at all.
- A category's share of the frame is total x basis points / 10 000 rounded DOWN to the cent;
  the cents lost by rounding down go, one each, to the categories with the largest
  remainders (ties: the order the shares were given), up to the amount the shares cover
  (total x sum of basis points / 10 000, rounded down). The free part is what is left, so
  the parts always add up to the total exactly: no cent is lost or made up.
- Percentages shown to people (a line's share of the frame, use of the frame) are basis
  points rounded down; they are for display only and never feed back into money.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

FULL_BP = 10_000  # 100 % in basis points
MAX_QUANTITY = 1_000  # units per occurrence ("absurd" beyond this)
MAX_REPEATS = 1_000  # occurrences in one period
ALERT_THRESHOLDS_BP = (7_500, 9_000, 10_000)


def line_cost_cents(quantity: int, repeats: int, unit_price_cents: int) -> int:
    """quantity units per occurrence x occurrences x unit price, in cents."""
    if quantity <= 0 or repeats <= 0:
        raise ValueError("quantity and repeats must be positive")
    if unit_price_cents < 0:
        raise ValueError("price must not be negative")
    return quantity * repeats * unit_price_cents


def shares_are_valid(shares_bp: Mapping[K, int]) -> bool:
    """Each share 0–100 % and together at most 100 % (the rest is the free part)."""
    return all(0 <= bp <= FULL_BP for bp in shares_bp.values()) and (
        sum(shares_bp.values()) <= FULL_BP
    )


def split_shares(total_cents: int, shares_bp: Mapping[K, int]) -> tuple[dict[K, int], int]:
    """(amount per key, free part) by the largest-remainder rule; parts sum to the total."""
    if total_cents < 0:
        raise ValueError("total must not be negative")
    if not shares_are_valid(shares_bp):
        raise ValueError("shares must be 0–100 % and sum to at most 100 %")
    covered = total_cents * sum(shares_bp.values()) // FULL_BP
    amounts: dict[K, int] = {}
    remainders: list[tuple[int, int, K]] = []
    for position, (key, bp) in enumerate(shares_bp.items()):
        amount, remainder = divmod(total_cents * bp, FULL_BP)
        amounts[key] = amount
        remainders.append((-remainder, position, key))
    leftover = covered - sum(amounts.values())
    for _neg, _pos, key in sorted(remainders)[:leftover]:
        amounts[key] += 1
    return amounts, total_cents - sum(amounts.values())


def share_bp(part_cents: int, whole_cents: int) -> int:
    """part / whole in basis points, rounded down (display only); 0 when whole is 0."""
    if whole_cents <= 0:
        return 0
    return part_cents * FULL_BP // whole_cents


@dataclass(frozen=True)
class CategoryUse:
    category_id: int | None  # None = the free part / lines without a share
    used_cents: int
    frame_cents: int | None  # None when the frame has no shares (arm A)
    remaining_cents: int
    over_cents: int


@dataclass(frozen=True)
class Fit:
    frame_cents: int
    total_cents: int
    remaining_cents: int
    over_frame_cents: int
    own_share_cents: int  # what the client pays when the organiser allows an own share
    categories: list[CategoryUse] = field(default_factory=list)

    @property
    def over(self) -> bool:
        return self.over_frame_cents > 0

    @property
    def categories_over(self) -> bool:
        return any(c.over_cents > 0 for c in self.categories)

    @property
    def use_bp(self) -> int:
        return share_bp(self.total_cents, self.frame_cents)


def fit(
    frame_cents: int,
    shares_bp: Mapping[int, int],
    lines: Iterable[tuple[int, int]],
    *,
    allows_own_share: bool,
) -> Fit:
    """How planned lines (category id, cost) fit the frame, total and per category."""
    used: dict[int | None, int] = {}
    for category_id, cost in lines:
        key: int | None = category_id if category_id in shares_bp else None
        if not shares_bp:
            key = category_id
        used[key] = used.get(key, 0) + cost
    total = sum(used.values())
    categories: list[CategoryUse] = []
    if shares_bp:
        amounts, free = split_shares(frame_cents, shares_bp)
        for category_id, amount in amounts.items():
            spent = used.get(category_id, 0)
            categories.append(
                CategoryUse(
                    category_id, spent, amount, max(0, amount - spent), max(0, spent - amount)
                )
            )
        spent_free = used.get(None, 0)
        if free or spent_free:
            categories.append(
                CategoryUse(
                    None, spent_free, free, max(0, free - spent_free), max(0, spent_free - free)
                )
            )
    else:
        for category_id, spent in used.items():
            categories.append(CategoryUse(category_id, spent, None, 0, 0))
    over = max(0, total - frame_cents)
    return Fit(
        frame_cents=frame_cents,
        total_cents=total,
        remaining_cents=max(0, frame_cents - total),
        over_frame_cents=over,
        own_share_cents=over if allows_own_share else 0,
        categories=categories,
    )


def split_delivery(
    amount_cents: int, balance_cents: int, own_share_left_cents: int
) -> tuple[int, int]:
    """(paid from the budget, paid by the client) or ValueError when neither covers it."""
    if amount_cents < 0:
        raise ValueError("amount must not be negative")
    from_budget = min(amount_cents, max(0, balance_cents))
    own = amount_cents - from_budget
    if own > max(0, own_share_left_cents):
        raise ValueError("the delivery would overdraw the budget")
    return from_budget, own


@dataclass(frozen=True)
class Pace:
    spent_bp: int  # share of the frame spent
    elapsed_bp: int  # share of the period elapsed
    lasts_until: date | None  # None: the money lasts the whole period at this pace
    underspend_warning: bool


def pace(
    frame_cents: int,
    spent_cents: int,
    period_start: date,
    period_end: date,
    today: date,
    *,
    warn_days_before_end: int = 60,
    underspend_gap_bp: int = 2_500,
) -> Pace:
    """Spending pace vs time elapsed and when the money runs out at this pace."""
    days_total = max(1, (period_end - period_start).days + 1)
    days_elapsed = min(days_total, max(0, (today - period_start).days + 1))
    spent_bp = share_bp(spent_cents, frame_cents)
    elapsed_bp = days_elapsed * FULL_BP // days_total
    lasts_until: date | None = None
    remaining = frame_cents - spent_cents
    if spent_cents > 0 and days_elapsed > 0:
        if remaining <= 0:
            lasts_until = today
        else:
            # Compared in days before any date is built: after one tiny delivery the money
            # lasts millions of years, beyond what a date can hold.
            days_left = remaining * days_elapsed // spent_cents
            if days_left < (period_end - today).days:
                lasts_until = today + timedelta(days=days_left)
    near_end = (period_end - today).days <= warn_days_before_end
    underspend = near_end and today <= period_end and elapsed_bp - spent_bp >= underspend_gap_bp
    return Pace(spent_bp, elapsed_bp, lasts_until, underspend)


def crossed_thresholds(spent_cents: int, frame_cents: int) -> list[int]:
    """Alert thresholds (basis points) reached by spending."""
    if frame_cents <= 0:
        return []
    used = share_bp(spent_cents, frame_cents)
    return [t for t in ALERT_THRESHOLDS_BP if used >= t]
