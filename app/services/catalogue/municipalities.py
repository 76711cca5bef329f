"""The official municipality code list (Statistics Finland, 3-digit codes, fi/sv names), and
reading municipalities as a provider types them (by name or code).

app/data/municipalities.csv holds the 309 municipalities of the 2021–2025 classification.
Loading is idempotent: missing codes are added and names updated.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

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


@dataclass(frozen=True)
class Areas:
    """Municipalities as typed: the codes found, and each piece that names none (as typed)."""

    codes: list[str]
    unknown: list[str]


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _index(session: Session) -> dict[str, str]:
    """Each code and each Finnish and Swedish name (case-folded) to its code: one query."""
    index: dict[str, str] = {}
    for m in session.exec(select(Municipality)).all():
        index[m.code] = m.code
        index[_key(m.name_fi)] = m.code
        index[_key(m.name_sv)] = m.code
    return index


def _lookup(index: dict[str, str], piece: str) -> str | None:
    key = _key(piece)
    if key.isdigit() and len(key) <= 3:
        key = key.zfill(3)
    return index.get(key)


def parse_areas(session: Session, text: str) -> Areas:
    """Municipalities written by name (Finnish or Swedish) or by code, separated by commas,
    semicolons or new lines (spaces too, when each word is a municipality by itself:
    "Jyväskylä Muurame", "179 182")."""
    index = _index(session)
    codes: list[str] = []
    unknown: list[str] = []
    for piece in (p.strip() for p in re.split(r"[,;\n]+", text or "")):
        if not piece:
            continue
        found = _lookup(index, piece)
        words = piece.split()
        if found is not None:
            codes.append(found)
        elif len(words) > 1 and (
            all(w.isdigit() for w in words) or all(_lookup(index, w) for w in words)
        ):
            for word in words:
                code = _lookup(index, word)
                codes.append(code) if code is not None else unknown.append(word)
        else:
            unknown.append(piece)
    return Areas(list(dict.fromkeys(codes)), unknown)


def area_names(session: Session, codes: list[str], language: str) -> str:
    """The municipalities of `codes` by name in `language` (Swedish or else Finnish), by name."""
    if not codes:
        return ""
    rows = session.exec(select(Municipality).where(col(Municipality.code).in_(codes))).all()
    names = [m.name_sv if language == "sv" else m.name_fi for m in rows]
    return ", ".join(sorted(names, key=str.casefold))
