"""Plain statistics for reports: means and proportions with 95 % confidence intervals.

Means use Student's t (two-sided 95 %, table below; 1.96 from 120 degrees of freedom up),
proportions use the Wilson score interval. No numpy needed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Z95 = 1.96
# Two-sided 95 % critical values of Student's t by degrees of freedom.
T95 = {
    1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
    9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120,
    17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064,
    25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045, 30: 2.042, 40: 2.021, 60: 2.000,
    80: 1.990, 100: 1.984, 120: 1.980,
}  # fmt: skip


def t95(df: int) -> float:
    if df < 1:
        raise ValueError("at least one degree of freedom")
    if df >= 120:
        return Z95 if df > 120 else T95[120]
    if df in T95:
        return T95[df]
    # Between table rows: the next smaller df (a slightly wider, conservative interval).
    return T95[max(k for k in T95 if k <= df)]


@dataclass(frozen=True)
class Estimate:
    n: int
    value: float | None
    low: float | None
    high: float | None

    def overlaps(self, other: Estimate) -> bool:
        if None in (self.low, self.high, other.low, other.high):
            return True
        return not (self.high < other.low or other.high < self.low)  # type: ignore[operator]


def mean_ci(values: Sequence[float]) -> Estimate:
    n = len(values)
    if n == 0:
        return Estimate(0, None, None, None)
    mean = sum(values) / n
    if n == 1:
        return Estimate(1, mean, None, None)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = t95(n - 1) * sd / math.sqrt(n)
    return Estimate(n, mean, mean - half, mean + half)


def proportion_ci(successes: int, n: int) -> Estimate:
    """Wilson score interval for successes / n."""
    if n == 0:
        return Estimate(0, None, None, None)
    p = successes / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return Estimate(n, p, max(0.0, centre - half), min(1.0, centre + half))
