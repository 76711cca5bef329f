"""Counting the SQL statements an engine sends (SQLAlchemy's `before_cursor_execute` event):
what a page costs, whatever the ORM does behind its back (lazy loads included)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


@dataclass
class Statements:
    sql: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.sql)

    def summary(self, limit: int = 200) -> str:
        """One statement a line, shortened: what to read when a count grows."""
        return "\n".join(" ".join(s.split())[:limit] for s in self.sql)


@contextmanager
def counting(engine: Engine) -> Iterator[Statements]:
    """Every statement sent on `engine` while the block runs (an executemany counts once)."""
    found = Statements()

    def note(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        found.sql.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", note)
