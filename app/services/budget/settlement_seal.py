"""The seal of an approved settlement: a digest of its lines and the ledger entries each line
settles, taken in the approving transaction and stored on the settlement (`approved_digest`).

On PostgreSQL triggers refuse any insert, update or delete of the lines (and their entry
links) of a settlement that is no longer open (migration `0019_settlement_immutable`); on
SQLite, and as a second check on PostgreSQL, `hebu ledger verify` computes the digest again
and reports a settlement whose lines no longer match what was approved.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from app.models.settlement import Settlement, SettlementStatus

LINES = text(
    "SELECT l.id, l.delivery_id, l.client_ref, l.service, l.delivered_on, l.units,"
    " l.unit_price_cents, l.budget_cents, l.own_share_cents, l.adjustment"
    " FROM settlement_line l WHERE l.settlement_id = :sid ORDER BY l.id"
)
ENTRIES = text(
    "SELECT e.settlement_line_id, e.ledger_entry_id FROM settlement_entry e"
    " JOIN settlement_line l ON l.id = e.settlement_line_id WHERE l.settlement_id = :sid"
    " ORDER BY e.settlement_line_id, e.ledger_entry_id"
)


def _plain(value: Any) -> Any:
    """One canonical form per value, whatever the engine returns (JSON text or a dict,
    a date or its ISO text, 0/1 or a boolean)."""
    if isinstance(value, str) and value[:1] in "{[":
        value = json.loads(value)
    if isinstance(value, bool):
        return int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def digest(lines: Iterable[Mapping[str, Any]], entries: Iterable[tuple[int, int]]) -> str:
    """The SHA-256 of the lines (every column that is paid or shown) and their entry links."""
    body = {
        "lines": [{k: _plain(v) for k, v in sorted(line.items())} for line in lines],
        "entries": [list(pair) for pair in entries],
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def seal_of(connection: Connection, settlement_id: int) -> str:
    """The digest of a settlement's lines as the database holds them now."""
    lines = [dict(row._mapping) for row in connection.execute(LINES, {"sid": settlement_id})]
    entries = [
        (int(a), int(b)) for a, b in connection.execute(ENTRIES, {"sid": settlement_id}).all()
    ]
    return digest(lines, entries)


def seal(session: Session, settlement_id: int) -> str:
    session.flush()
    return seal_of(session.connection(), settlement_id)


def broken_seals(session: Session) -> list[tuple[int, str]]:
    """Settlements past open whose lines differ from what was approved (or that were never
    sealed): (settlement id, problem)."""
    problems: list[tuple[int, str]] = []
    frozen = session.exec(
        select(Settlement)
        .where(Settlement.status != SettlementStatus.open)
        .order_by(col(Settlement.id))
    ).all()
    for found in frozen:
        assert found.id is not None
        if not found.approved_digest:
            problems.append((found.id, f"settlement {found.id} approved without a seal"))
        elif seal(session, found.id) != found.approved_digest:
            problems.append((found.id, f"settlement {found.id} changed after approval"))
    return problems
