"""Pure rating arithmetic: the month key, the public summary and the min-n rule.

Privacy rule (small municipalities): a summary is shown only when at least MIN_RATINGS
different clients have rated the offer. Counting people rather than ratings means one
client rating every month cannot make their own ratings public.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

MIN_RATINGS = 5
QUALITY_LEVELS = (5, 4, 3, 2, 1)
EFFECT_LEVELS = (4, 3, 2, 1)  # a lot, quite a lot, a little, not at all


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_start(key: str) -> date:
    year, month = key.split("-")
    return date(int(year), int(month), 1)


@dataclass
class RatingSummary:
    count: int = 0
    raters: int = 0
    average: float | None = None  # None unless `enough`
    distribution: dict[int, int] = field(default_factory=dict)  # stars -> count
    effect: dict[int, int] = field(default_factory=dict)  # effect level -> count
    effect_answers: int = 0

    @property
    def enough(self) -> bool:
        return self.raters >= MIN_RATINGS and self.average is not None


def summarise(rows: Iterable[tuple[int, int, int | None]]) -> RatingSummary:
    """rows: (client id, quality, effect) of every rating of one offer, hidden comments too."""
    items = list(rows)
    raters = len({client for client, _q, _e in items})
    summary = RatingSummary(count=len(items), raters=raters)
    if raters < MIN_RATINGS or not items:
        return summary
    summary.average = round(sum(q for _c, q, _e in items) / len(items), 2)
    summary.distribution = {level: 0 for level in QUALITY_LEVELS}
    summary.effect = {level: 0 for level in EFFECT_LEVELS}
    for _client, quality, effect in items:
        summary.distribution[quality] = summary.distribution.get(quality, 0) + 1
        if effect is not None:
            summary.effect[effect] = summary.effect.get(effect, 0) + 1
            summary.effect_answers += 1
    return summary


def public_average(raters: int, total: int, quality_sum: int) -> float | None:
    """The mean the search index gets: None below the min-n of distinct raters."""
    if raters < MIN_RATINGS or total == 0:
        return None
    return round(quality_sum / total, 2)
