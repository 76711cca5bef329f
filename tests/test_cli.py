"""The `hebu` command: migrate and load demo data twice without failing or duplicating."""

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

BIN = Path(sys.executable).parent


def _hebu(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HEBU_DATABASE_URL": f"sqlite:///{db}", "HEBU_ENVIRONMENT": "development"}
    return subprocess.run(
        [str(BIN / "hebu"), *args], env=env, capture_output=True, text=True, check=False
    )


def test_upgrade_and_demo_are_repeatable(tmp_path):
    db = tmp_path / "var" / "hebu.db"
    for _ in range(2):
        assert _hebu("db", "upgrade", db=db).returncode == 0
        result = _hebu("demo", db=db)
        assert result.returncode == 0, result.stderr
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        users = conn.execute(text("SELECT count(*) FROM user WHERE dev_persona IS NOT NULL"))
        organisers = conn.execute(text("SELECT count(*) FROM organiser"))
        categories = conn.execute(text("SELECT count(*) FROM category"))
        assert users.scalar() >= 5
        assert organisers.scalar() == 1
        assert categories.scalar() == 10
    engine.dispose()


def test_audit_verify_command_reports_a_clean_trail(tmp_path):
    db = tmp_path / "hebu.db"
    assert _hebu("db", "upgrade", db=db).returncode == 0
    result = _hebu("audit", "verify", db=db)
    assert result.returncode == 0
    assert "intact" in result.stdout


def test_audit_verify_command_finds_the_newest_rows_deleted(tmp_path):
    db = tmp_path / "hebu.db"
    assert _hebu("db", "upgrade", db=db).returncode == 0
    assert _hebu("demo", db=db).returncode == 0
    assert _hebu("audit", "verify", db=db).returncode == 0
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        newest = conn.execute(text("SELECT max(id) FROM audit_event")).scalar_one()
        conn.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": newest})
    engine.dispose()
    result = _hebu("audit", "verify", db=db)
    assert result.returncode == 1
    assert "rows were removed" in result.stderr
