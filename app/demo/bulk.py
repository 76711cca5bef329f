"""Bulk inserts for demo data: one INSERT for many rows, the model's defaults filled in,
no ORM objects (building thousands of them is the slow part) and no audit events."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session


def insert_rows(session: Session, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert the rows (each a dict of non-default values); returns the new ids in order."""
    if not rows:
        return []
    defaults = _defaults(model) | {"created_at": datetime.now(UTC), "updated_at": datetime.now(UTC)}
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    result = session.execute(statement, [defaults | row for row in rows])
    return [int(r[0]) for r in result]


_DEFAULTS: dict[type, dict[str, Any]] = {}


def _defaults(model: Any) -> dict[str, Any]:
    if model not in _DEFAULTS:
        _DEFAULTS[model] = {
            name: field.get_default(call_default_factory=True)
            for name, field in model.model_fields.items()
            if name != "id" and not field.is_required()
        }
    return _DEFAULTS[model]
