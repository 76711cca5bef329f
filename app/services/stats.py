"""Plain statistics for every report: means and proportions with 95 % confidence intervals.

The one statistics module of the app: the arm report, the indicator report, costs, effects and
goal attainment all use it, so the same n gives the same interval everywhere.

- Means use Student's t, two-sided 95 % (the 0.975 quantile). For 1-30 degrees of freedom the
  critical value comes from the standard table (three decimals, so within 0.0005 of the exact
  quantile). From 31 up it is the Cornish-Fisher expansion of the t quantile around the normal
  one, with four correction terms (Abramowitz & Stegun 26.7.5); checked against numerical
  inversion of the t distribution its error is below 1e-7 for every df > 30, and it tends to
  z = 1.95996 as df grows. No table rows are skipped, so there is no step between table rows.
- Proportions use the Wilson score interval with z = 1.96.

No numpy or scipy needed.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

Z95 = 1.96  # the normal quantile used by the Wilson interval
_Z975 = 1.959963984540054  # the exact normal 0.975 quantile, for the expansion

# Two-sided 95 % critical values of Student's t for 1..30 degrees of freedom.
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


def _cornish_fisher(df: int) -> float:
    """The t quantile for p = 0.975 from the normal one (accurate to 1e-7 for df > 30)."""
    z = _Z975
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def t95(df: int) -> float:
    """The two-sided 95 % critical value of Student's t with `df` degrees of freedom."""
    if df < 1:
        raise ValueError("at least one degree of freedom")
    if df <= len(_T975):
        return _T975[df - 1]
    return _cornish_fisher(df)


class Interval(Protocol):
    @property
    def low(self) -> float | None: ...

    @property
    def high(self) -> float | None: ...


def overlaps(a: Interval, b: Interval) -> bool:
    """True when two intervals overlap, or when either has no interval (cannot tell apart)."""
    if a.low is None or a.high is None or b.low is None or b.high is None:
        return True
    return not (a.high < b.low or b.high < a.low)


@dataclass(frozen=True)
class Estimate:
    """A mean or a share from `n` values with its 95 % interval (None when there is none)."""

    n: int
    value: float | None
    low: float | None
    high: float | None

    def overlaps(self, other: Estimate) -> bool:
        return overlaps(self, other)

    def rounded(self, digits: int) -> Estimate:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, digits)

        return Estimate(self.n, r(self.value), r(self.low), r(self.high))


def mean_ci(values: Sequence[float]) -> Estimate:
    """The mean with its 95 % t interval; no interval for one value, no value for none."""
    n = len(values)
    if n == 0:
        return Estimate(0, None, None, None)
    mean = statistics.fmean(values)
    if n == 1:
        return Estimate(1, mean, None, None)
    half = t95(n - 1) * statistics.stdev(values) / math.sqrt(n)
    return Estimate(n, mean, mean - half, mean + half)


def median(values: Sequence[float]) -> float | None:
    """The median, None for no values."""
    return statistics.median(values) if values else None


def proportion_ci(successes: int, n: int) -> Estimate:
    """Wilson score interval for successes / n."""
    if n == 0:
        return Estimate(0, None, None, None)
    p = successes / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return Estimate(n, p, max(0.0, centre - half), min(1.0, centre + half))
