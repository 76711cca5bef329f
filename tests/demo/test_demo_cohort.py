"""The synthetic cohort: fast, labelled, plausible, consistent with the ledger and the seed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlmodel import Session, col, func, select

from app.demo.cohort import cohort_count, load_cohort
from app.demo.cohort_specs import MARKER
from app.demo.county import load_demo
from app.models.assessment import Assessment
from app.models.budget import PlanStatus, PlanVersion
from app.models.ledger import Delivery
from app.models.research import Allocation, Experiment
from app.models.user import Membership, User
from app.services.budget import ledger
from app.services.research import experiment


def test_demo_includes_a_labelled_cohort_that_reconciles(session: Session):
    load_demo(session)
    n = cohort_count(session)
    size = int(os.environ["HEBU_DEMO_COHORT_SIZE"])
    assert n == size + size // 5  # the budget clients and the comparison group
    load_demo(session)  # idempotent
    assert cohort_count(session) == n
    # Its speed is a benchmark figure (bench/), not a test: here only what it adds.
    assert load_cohort(session, 300) == 300
    assert cohort_count(session) == n + 300
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
        unmarked = conn.execute(
            text("SELECT count(*) FROM user WHERE dev_persona IS NULL AND NOT is_synthetic")
        ).scalar()
        cohort = conn.execute(text("SELECT count(*) FROM user WHERE email LIKE '%@synthetic%'"))
        clients = cohort.scalar()
    engine.dispose()
    assert unmarked == 0
    assert clients == 10 + 2 + 25  # the demo's cohort with its comparison group, the command's
    assert count == clients + 3 + 6 + 2  # the 3 cohort workers, 6 raters, 2 demo budget clients


def test_everyone_the_demo_adds_without_a_login_is_synthetic(session: Session):
    load_demo(session)
    people = session.exec(select(User.dev_persona, User.is_synthetic)).all()
    assert len(people) > int(os.environ["HEBU_DEMO_COHORT_SIZE"])
    assert all(synthetic for persona, synthetic in people if persona is None)
    assert not any(synthetic for persona, synthetic in people if persona is not None)


def test_the_cohort_is_reproducible(session: Session):
    """The same seed gives the same people, plans, deliveries and answers."""
    load_demo(session)
    first = _fingerprint(session)
    session.rollback()
    load_demo(session)
    assert _fingerprint(session) == first


def _fingerprint(session: Session) -> list[tuple[object, ...]]:
    rows = session.exec(
        select(User.display_name, Membership.client_group, Membership.municipality_code)
        .join(Membership, col(Membership.user_id) == User.id)
        .where(col(User.email).endswith(MARKER))
        .order_by(col(User.id))
    ).all()
    plans = session.exec(select(PlanVersion.status).order_by(col(PlanVersion.id))).all()
    amounts = session.exec(select(Delivery.amount_cents).order_by(col(Delivery.id))).all()
    scores = session.exec(select(Assessment.scores).order_by(col(Assessment.id))).all()
    return [*rows, tuple(plans), tuple(amounts), tuple(str(s) for s in scores)]
