"""Group-level goal attainment (seed 000 #3): how clients' GAS T-scores are distributed by unit
(home municipality) and by client group; every cell below five clients is suppressed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.models.organiser import Municipality
from app.services import disclosure
from app.services.disclosure import Cell, count, too_small
from app.services.reports.data import Snapshot

# T-score bands: well below / below / as expected or better / well above the expected level.
BANDS = ("under40", "40to50", "50to60", "60plus")


def band(t: float) -> str:
    if t < 40:
        return "under40"
    if t < 50:
        return "40to50"
    if t < 60:
        return "50to60"
    return "60plus"


@dataclass(frozen=True)
class GroupRow:
    key: str
    n: int
    mean: Cell
    bands: dict[str, Cell]

    @property
    def suppressed(self) -> bool:
        return too_small(self.n)

    def percent(self, name: str) -> float:
        """Share of the group in a band for the chart (0 when the band is suppressed)."""
        band_cell = self.bands.get(name)
        shown = band_cell.value if band_cell is not None else None
        return 0.0 if self.suppressed or not shown or not self.n else 100 * shown / self.n


def distribution(snap: Snapshot, by: str) -> list[GroupRow]:
    """by = "unit" (municipality) or "group" (client group). Comparison clients excluded."""
    groups: dict[str, list[float]] = defaultdict(list)
    for info in snap.clients.values():
        if info.comparison:
            continue
        t = snap.t_score(info.id)
        if t is None:
            continue
        key = (info.municipality if by == "unit" else info.group) or ""
        groups[key].append(t)
    rows = []
    for key in sorted(groups):
        values = groups[key]
        counts = defaultdict(int)
        for t in values:
            counts[band(t)] += 1
        bands = {} if too_small(len(values)) else {b: count(counts[b]) for b in BANDS}
        rows.append(GroupRow(key, len(values), disclosure.mean(values), secondary(bands, counts)))
    return rows


def unit_names(session: Session, codes: list[str], locale: str) -> dict[str, str]:
    """Municipality names for the unit rows, in Swedish for sv."""
    rows = session.exec(select(Municipality).where(col(Municipality.code).in_(codes))).all()
    return {m.code: m.name_sv if locale.startswith("sv") else m.name_fi for m in rows}


def secondary(cells: dict[str, Cell], counts: dict[str, int]) -> dict[str, Cell]:
    """With the group total shown, one hidden band could be computed back from the others:
    when exactly one band is suppressed, also hide the smallest other non-empty band."""
    hidden = [b for b, c in cells.items() if c.suppressed]
    if len(hidden) != 1:
        return cells
    others = [b for b in cells if b not in hidden and counts[b] > 0]
    if others:
        smallest = min(others, key=lambda b: counts[b])
        cells = dict(cells)
        cells[smallest] = disclosure.hidden()
    return cells
