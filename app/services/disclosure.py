"""Small-cell suppression shared by every aggregate report (the one `Cell` of the app).

No figure describing fewer than `MIN_CELL` clients is shown: a count of 1-4 and any mean,
share or sum computed from fewer than five clients is replaced by a suppressed cell, so that
in a small municipality a figure cannot be traced back to a person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.services.stats import Estimate, mean_ci

MIN_CELL = 5


def too_small(n: int) -> bool:
    """True when a cell built from `n` clients must not be shown (0 < n < MIN_CELL)."""
    return 0 < n < MIN_CELL


@dataclass(frozen=True)
class Cell:
    """One reported figure: its value, the number of clients behind it, and whether shown."""

    value: Any
    n: int
    low: Any = None  # 95 % interval, when one applies
    high: Any = None
    suppressed_by_rule: bool = False  # secondary suppression (a total would reveal it)

    @property
    def suppressed(self) -> bool:
        return self.suppressed_by_rule or too_small(self.n)


def cell(value: Any, n: int, low: Any = None, high: Any = None) -> Cell:
    """A cell; values computed from fewer than MIN_CELL clients are dropped at once."""
    if too_small(n):
        return Cell(None, n)
    return Cell(value, n, low, high)


def count(n: int) -> Cell:
    """A client count: 0 is shown, 1-4 are suppressed."""
    return cell(n, n)


def hidden(n: int = 0) -> Cell:
    """A cell hidden by a rule (secondary suppression, a suppressed row), whatever its n."""
    return Cell(None, n, suppressed_by_rule=True)


def estimate(est: Estimate) -> Cell:
    """A cell holding a mean or share and its 95 % interval; dropped below MIN_CELL."""
    return cell(est.value, est.n, est.low, est.high)


def mean(values: Sequence[float], digits: int = 2) -> Cell:
    """The mean of `values` with its 95 % interval, rounded to `digits`, as a cell."""
    return estimate(mean_ci(values).rounded(digits))
