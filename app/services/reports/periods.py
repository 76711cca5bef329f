"""Half-year reporting periods (2026H1, 2026H2): parsing, bounds and ranges.

The statistics the reports compute over them live in `app.services.stats`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


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
