"""Backups: `hebu backup` / `hebu restore` on SQLite (online backup API) and the documented
pg_dump / pg_restore procedure on PostgreSQL. After a restore, `hebu ledger verify` is clean
and the data is what it was when the backup was taken."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import Session
from typer.testing import CliRunner

from app.cli import app as cli
from app.config import get_settings
from app.db import get_engine
from tests.support import postgres
from tests.support.budget_world import TODAY, build


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("HEBU_DATABASE_URL", db_url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield
    get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()


def _ledger_world(engine: Engine) -> None:
    """A confirmed plan with an accepted delivery: ledger rows to verify after the restore."""
    from app.services.budget import deliveries, plan

    with Session(engine, expire_on_commit=False) as s:
        world = build(s)
        budget = world.frame(10_000)
        client = world.actor(world.client)
        line = plan.add_line(s, client, budget, world.offer(1_000).id, 5, 1, TODAY)  # type: ignore[arg-type]
        plan.submit(s, client, budget, "")
        plan.confirm(s, world.actor(world.case_worker), budget, "")
        provider = world.actor(world.provider_user)
        deliveries.decide_order(s, provider, line.id, True)  # type: ignore[arg-type]
        deliveries.report_delivery(s, provider, line.id, TODAY, 2, "")  # type: ignore[arg-type]
        world.organiser.delivery_auto_accept_days = 0
        s.add(world.organiser)
        s.commit()
    result = CliRunner().invoke(cli, ["deliveries", "auto-accept"])
    assert result.exit_code == 0 and "accepted 1" in result.output


def _counts(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        return (
            conn.execute(text("SELECT count(*) FROM ledger_entry")).scalar_one(),
            conn.execute(text("SELECT count(*) FROM delivery")).scalar_one(),
            conn.execute(text("SELECT count(*) FROM audit_event")).scalar_one(),
        )


def _damage(engine: Engine) -> None:
    """What a bad day does after the backup: a tampered delivery."""
    with engine.begin() as conn:
        conn.execute(text("UPDATE delivery SET amount_cents = amount_cents + 1"))


def test_sqlite_backup_and_restore(
    db_url: str, engine: Engine, cli_env: None, tmp_path: Path
) -> None:
    if not db_url.startswith("sqlite"):
        result = CliRunner().invoke(cli, ["backup", str(tmp_path / "x.db")])
        assert result.exit_code == 1
        assert "pg_dump" in result.output
        return
    _ledger_world(engine)
    before = _counts(engine)
    assert before[0] > 0
    runner = CliRunner()
    backup_file = tmp_path / "backups" / "hebu-backup.db"
    # Online: another connection holds a read transaction while the backup runs.
    with engine.connect() as reader:
        reader.execute(text("SELECT count(*) FROM ledger_entry")).scalar_one()
        result = runner.invoke(cli, ["backup", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert backup_file.exists()
    assert not backup_file.with_name(backup_file.name + ".partial").exists()

    _damage(engine)
    assert runner.invoke(cli, ["ledger", "verify"]).exit_code == 1

    engine.dispose()
    result = runner.invoke(cli, ["restore", str(backup_file)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["ledger", "verify"])
    assert result.exit_code == 0, result.output
    assert "reconciles" in result.output
    assert runner.invoke(cli, ["audit", "verify"]).exit_code == 0
    assert _counts(engine) == before


def test_restore_refuses_a_file_that_is_not_a_backup(
    db_url: str, engine: Engine, cli_env: None, tmp_path: Path
) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("hebu restore is for the embedded database")
    _ledger_world(engine)
    before = _counts(engine)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    result = CliRunner().invoke(cli, ["restore", str(junk)])
    assert result.exit_code == 1
    assert "not a Hebu database" in result.output
    missing = CliRunner().invoke(cli, ["restore", str(tmp_path / "missing.db")])
    assert missing.exit_code == 1
    assert _counts(engine) == before


def test_postgres_dump_and_restore_procedure(
    db_url: str, engine: Engine, cli_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README procedure: pg_dump -Fc, then pg_restore into an empty database."""
    if not db_url.startswith("postgresql"):
        pytest.skip("the pg_dump procedure is for PostgreSQL")
    pg_dump, pg_restore = postgres._pg_bin("pg_dump"), postgres._pg_bin("pg_restore")
    assert pg_dump and pg_restore
    _ledger_world(engine)
    before = _counts(engine)
    dump = tmp_path / "hebu.dump"
    plain_url = engine.url.set(drivername="postgresql")
    source = plain_url.render_as_string(hide_password=False)
    subprocess.run(
        [pg_dump, "--format=custom", "--no-owner", f"--file={dump}", source],
        check=True,
        capture_output=True,
    )
    name = "restored_" + uuid.uuid4().hex[:10]
    admin_url = engine.url.set(database="postgres")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    target = plain_url.set(database=name).render_as_string(hide_password=False)
    try:
        subprocess.run(
            [pg_restore, "--no-owner", "--exit-on-error", f"--dbname={target}", str(dump)],
            check=True,
            capture_output=True,
        )
        restored_url = engine.url.set(database=name).render_as_string(hide_password=False)
        monkeypatch.setenv("HEBU_DATABASE_URL", restored_url)
        get_settings.cache_clear()
        get_engine.cache_clear()
        result = CliRunner().invoke(cli, ["ledger", "verify"])
        assert result.exit_code == 0, result.output
        restored = create_engine(restored_url)
        assert _counts(restored) == before
        restored.dispose()
        get_engine().dispose()
        get_engine.cache_clear()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
