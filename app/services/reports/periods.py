"""Pure statistics for the reports: means with a 95 % interval, medians, half-year periods."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

# Two-sided 97.5 % quantiles of Student's t for 1..30 degrees of freedom; 1.96 beyond.
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


def t975(df: int) -> float:
    if df < 1:
        raise ValueError("at least one degree of freedom")
    return _T975[df - 1] if df <= len(_T975) else 1.96


@dataclass(frozen=True)
class Estimate:
    mean: float
    n: int
    low: float | None
    high: float | None


def mean_ci(values: Sequence[float]) -> Estimate | None:
    """The mean and its 95 % confidence interval (t distribution); None for no values."""
    n = len(values)
    if n == 0:
        return None
    mean = statistics.fmean(values)
    if n == 1:
        return Estimate(round(mean, 2), 1, None, None)
    half = t975(n - 1) * statistics.stdev(values) / math.sqrt(n)
    return Estimate(round(mean, 2), n, round(mean - half, 2), round(mean + half, 2))


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


@dataclass(frozen=True, order=True)
class HalfYear:
    year: int
    half: int  # 1 or 2

    @classmethod
    def of(cls, day: date) -> HalfYear:
        return cls(day.year, 1 if day.month <= 6 else 2)

    @classmethod
    def parse(cls, text: str) -> HalfYear | None:
        try:
            year, half = text.upper().split("H", 1)
            result = cls(int(year), int(half))
        except ValueError:
            return None
        return result if 2000 <= result.year <= 2100 and result.half in (1, 2) else None

    @property
    def key(self) -> str:
        return f"{self.year}H{self.half}"

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> date:
        """The first day after the period."""
        return date(self.year, 7, 1) if self.half == 1 else date(self.year + 1, 1, 1)

    def next(self) -> HalfYear:
        return HalfYear(self.year, 2) if self.half == 1 else HalfYear(self.year + 1, 1)


def half_years(first: HalfYear, last: HalfYear, limit: int = 8) -> list[HalfYear]:
    """first .. last inclusive, at most `limit` (the newest ones when there are more)."""
    periods = []
    current = first
    while current <= last:
        periods.append(current)
        current = current.next()
    return periods[-limit:]
