"""Pure scoring of answers into domains, plain-word bands and change between two assessments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.services.assessment.instruments import Instrument

STRENGTH_FROM = 7.0  # a domain scoring at least this is a strength
WORK_ON_BELOW = 4.0  # ... below this an area to work on
CHANGE_STEP = 1.0  # a change smaller than this is "about the same"


def domain_scores(instrument: Instrument, answers: dict[str, Any]) -> dict[str, float | None]:
    """Mean of the answered items per domain on 0-10, one decimal; None if none answered.

    Items in hidden (branched-out) sections do not count, and neither do optional domains
    whose section is hidden.
    """
    visible = {i.id for s in instrument.visible_sections(answers) for i in s.items}
    sums: dict[str, list[float]] = {d.id: [] for d in instrument.domains}
    for item_id in visible:
        item = instrument.items_by_id[item_id]
        if item.domain is None:
            continue
        value = item.score(answers.get(item_id))
        if value is not None:
            sums[item.domain].append(value)
    result: dict[str, float | None] = {}
    for domain in instrument.domains:
        in_view = any(instrument.items_by_id[i].domain == domain.id for i in visible)
        if domain.optional and not in_view:
            continue
        values = sums[domain.id]
        result[domain.id] = round(sum(values) / len(values), 1) if values else None
    return result


def band(score: float | None) -> str:
    """'strength' | 'middle' | 'work_on' | 'unknown'."""
    if score is None:
        return "unknown"
    if score >= STRENGTH_FROM:
        return "strength"
    if score < WORK_ON_BELOW:
        return "work_on"
    return "middle"


def change(before: float | None, now: float | None) -> str:
    """'better' | 'worse' | 'same' | 'unknown'."""
    if before is None or now is None:
        return "unknown"
    diff = now - before
    if diff >= CHANGE_STEP:
        return "better"
    if diff <= -CHANGE_STEP:
        return "worse"
    return "same"


@dataclass(frozen=True)
class Axis:
    number: int
    x: float
    y: float
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Radar:
    size: int
    center: float
    axes: list[Axis]
    rings: list[str]
    series: list[str]  # polygon point lists, first = now, second = baseline (if any)


def radar(series: list[list[float | None]], size: int = 320) -> Radar:
    """Geometry of a star chart with len(series[0]) axes; values 0-10 (None is drawn as 0)."""
    import math

    count = len(series[0]) if series else 0
    center = size / 2
    radius = size / 2 - 28

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / max(count, 1)
        r = radius * value / 10
        return round(center + r * math.cos(angle), 1), round(center + r * math.sin(angle), 1)

    axes = []
    for i in range(count):
        x, y = point(i, 10)
        lx, ly = point(i, 11.6)
        axes.append(Axis(number=i + 1, x=x, y=y, label_x=lx, label_y=ly))
    rings = [
        " ".join(f"{x},{y}" for x, y in (point(i, level) for i in range(count)))
        for level in (2, 4, 6, 8, 10)
    ]
    polygons = [
        " ".join(f"{x},{y}" for x, y in (point(i, v or 0.0) for i, v in enumerate(values)))
        for values in series
    ]
    return Radar(size=size, center=center, axes=axes, rings=rings, series=polygons)
