"""Online backup and restore of the embedded SQLite database.

Uses SQLite's online backup API: a backup taken while the portal serves requests is a
consistent snapshot (WAL included), and a restore replaces the live database page by page
under SQLite's own lock, so no process ever sees a half-copied file. PostgreSQL is backed up
with pg_dump / pg_restore (see README).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path


class BackupError(Exception):
    """The database or the backup file cannot be used."""


def sqlite_path(database_url: str) -> Path:
    if not database_url.startswith("sqlite:///"):
        raise BackupError(
            "hebu backup/restore handles the embedded SQLite database; "
            "back up PostgreSQL with pg_dump (see README)"
        )
    path = database_url.removeprefix("sqlite:///")
    if not path or path == ":memory:":
        raise BackupError("an in-memory database cannot be backed up")
    return Path(path)


def _check(connection: sqlite3.Connection, label: str) -> str:
    """Integrity check plus the Alembic revision; raises when the file is not a Hebu database."""
    try:
        (result,) = connection.execute("PRAGMA integrity_check").fetchone()
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{label} is not a Hebu database: {exc}") from exc
    if result != "ok":
        raise BackupError(f"{label} failed the integrity check: {result}")
    if row is None:
        raise BackupError(f"{label} has no schema revision")
    return str(row[0])


def backup(database_url: str, target: Path) -> str:
    """Copy the live database to `target` (overwritten); returns the schema revision."""
    source_path = sqlite_path(database_url)
    if not source_path.exists():
        raise BackupError(f"database {source_path} does not exist")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with (
        closing(sqlite3.connect(source_path, timeout=30)) as source,
        closing(sqlite3.connect(partial)) as copy,
    ):
        source.backup(copy)
        # A standalone file: no -wal sidecar needed to read it.
        copy.execute("PRAGMA journal_mode=DELETE")
        revision = _check(copy, "the backup")
    partial.replace(target)
    return revision


def restore(database_url: str, source: Path) -> str:
    """Replace the live database's contents with the backup; returns the schema revision."""
    target_path = sqlite_path(database_url)
    if not source.exists():
        raise BackupError(f"backup file {source} does not exist")
    target_path.parent.mkdir(parents=True, exist_ok=True)
    with (
        closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as backup_db,
        closing(sqlite3.connect(target_path, timeout=30)) as live,
    ):
        revision = _check(backup_db, "the backup file")
        backup_db.backup(live)
        _check(live, "the restored database")
    return revision
