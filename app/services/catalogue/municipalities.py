"""The official municipality code list (Statistics Finland, 3-digit codes, fi/sv names).

app/data/municipalities.csv holds the 309 municipalities of the 2021–2025 classification.
Loading is idempotent: missing codes are added and names updated.
"""

from __future__ import annotations

import csv
from pathlib import Path

from sqlmodel import Session

from app.models.organiser import Municipality

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "municipalities.csv"


def official_list() -> list[tuple[str, str, str]]:
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return [(r["code"], r["name_fi"], r["name_sv"]) for r in csv.DictReader(handle)]


def load_municipalities(session: Session) -> int:
    """Add or update every municipality of the list; returns how many rows were written."""
    written = 0
    for code, name_fi, name_sv in official_list():
        existing = session.get(Municipality, code)
        if existing is None:
            session.add(Municipality(code=code, name_fi=name_fi, name_sv=name_sv))
            written += 1
        elif (existing.name_fi, existing.name_sv) != (name_fi, name_sv):
            existing.name_fi, existing.name_sv = name_fi, name_sv
            session.add(existing)
            written += 1
    session.flush()
    return written
