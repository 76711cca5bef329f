"""The synthetic cohort: fast, labelled, plausible, consistent with the ledger and the seed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlmodel import Session, col, func, select

from app.demo.cohort import load_cohort, synthetic_count
from app.demo.county import load_demo
from app.models.assessment import Assessment
from app.models.budget import PlanStatus, PlanVersion
from app.models.research import Allocation, Experiment
from app.models.user import User
from app.services.budget import ledger
from app.services.research import experiment


def test_demo_includes_a_labelled_cohort_that_reconciles(session: Session):
    load_demo(session)
    n = synthetic_count(session)
    assert n == int(os.environ["HEBU_DEMO_COHORT_SIZE"])
    load_demo(session)  # idempotent
    assert synthetic_count(session) == n
    started = time.monotonic()
    assert load_cohort(session, 300) == 300
    assert time.monotonic() - started < 5
    assert synthetic_count(session) == n + 300
    assert ledger.verify(session) == []
    found = session.exec(select(Experiment)).one()
    allocations = list(session.exec(select(Allocation)).all())
    assert len(allocations) > 250
    # Every allocation is what the stored seed gives at its position.
    assert experiment.reproduce(found, allocations) == []
    synthetic_ids = set(session.exec(select(User.id).where(col(User.is_synthetic))).all())
    assert {a.client_id for a in allocations} <= synthetic_ids
    # Two life-situation assessments a year apart; both plan outcomes occur.
    per_client = session.exec(
        select(func.count()).select_from(Assessment).group_by(col(Assessment.client_id))
    ).all()
    assert max(per_client) >= 2
    statuses = set(session.exec(select(PlanVersion.status)).all())
    assert {PlanStatus.confirmed, PlanStatus.returned} <= set(statuses)


def test_cli_cohort_command(tmp_path: Path):
    db = tmp_path / "hebu.db"
    env = {**os.environ, "HEBU_DATABASE_URL": f"sqlite:///{db}", "HEBU_DEMO_COHORT_SIZE": "10"}
    hebu = str(Path(sys.executable).parent / "hebu")
    for args in (["db", "upgrade"], ["demo"], ["demo", "cohort", "--size", "25"]):
        result = subprocess.run([hebu, *args], env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    assert "added 25 synthetic clients" in result.stdout
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM user WHERE is_synthetic")).scalar()
    engine.dispose()
    assert count == 10 + 25 + 3  # clients of the demo and the command, 3 synthetic workers
