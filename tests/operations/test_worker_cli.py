"""`hebu worker --once` runs every due job one time and says how each went; the settings keep
the in-process loop out of tests and production unless asked for."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.cli import app as cli
from app.config import Environment, Settings, get_settings
from app.db import get_engine, make_engine
from app.models.job import Job
from app.models.ledger import Delivery, DeliveryStatus
from app.services.budget import deliveries
from app.services.operations import registry
from tests.budget.test_plan_and_ledger import _confirmed_line
from tests.support.budget_world import TODAY, build

JOB_COUNT = len(registry.names(Settings()))


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("HEBU_DATABASE_URL", db_url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield
    get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()


def test_worker_once_runs_the_due_jobs(engine: Engine, cli_env: None) -> None:
    with Session(engine, expire_on_commit=False) as s:
        world = build(s)
        _budget, line = _confirmed_line(world)
        provider = world.actor(world.provider_user)
        delivery = deliveries.report_delivery(s, provider, line.id, TODAY, 1, "")  # type: ignore[arg-type]
        world.organiser.delivery_auto_accept_days = 0
        s.add(world.organiser)
        s.commit()
    result = CliRunner().invoke(cli, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "deliveries_auto_accept: ok" in result.output
    with Session(engine) as s:
        assert s.get(Delivery, delivery.id).status == DeliveryStatus.auto_accepted  # type: ignore[union-attr]
        assert len(s.exec(select(Job)).all()) == JOB_COUNT
    again = CliRunner().invoke(cli, ["worker", "--once"])  # nothing is due a second time
    assert again.exit_code == 0 and again.output == ""


def test_jobs_run_in_process_only_in_development_by_default() -> None:
    assert Settings(environment=Environment.development).jobs_in_process
    assert not Settings(environment=Environment.test).jobs_in_process
    assert Settings(environment=Environment.test, run_jobs_in_process=True).jobs_in_process
    assert not Settings(
        environment=Environment.development, run_jobs_in_process=False
    ).jobs_in_process


def test_the_server_runs_the_loop_in_a_thread_when_asked(
    settings: Settings, engine: Engine
) -> None:
    import time

    from fastapi.testclient import TestClient

    from app.main import create_app

    asked = settings.model_copy(update={"run_jobs_in_process": True, "worker_poll_seconds": 0.1})
    with TestClient(create_app(asked, engine)):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with Session(engine) as s:
                ran = s.exec(select(Job).where(Job.last_run_at != None)).all()  # noqa: E711
            if len(ran) == JOB_COUNT:
                break
            time.sleep(0.1)
    assert len(ran) == JOB_COUNT
    with TestClient(create_app(settings, engine)):  # the tests' own settings: no loop
        pass
    import threading

    assert not [t for t in threading.enumerate() if t.name == "hebu-jobs"]


def test_sigterm_stops_the_worker_after_its_pass(db_url: str) -> None:
    import signal
    import subprocess
    import sys
    import time

    env = {
        **os.environ,
        "HEBU_DATABASE_URL": db_url,
        "HEBU_ENVIRONMENT": "test",
        "HEBU_WORKER_POLL_SECONDS": "0.2",
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", "from app.cli import main; main()", "worker"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    engine = make_engine(db_url)
    try:
        deadline = time.monotonic() + 30
        ran: list[Job] = []
        while time.monotonic() < deadline and len(ran) < JOB_COUNT:
            time.sleep(0.2)
            with Session(engine) as s:
                ran = list(s.exec(select(Job).where(Job.last_run_at != None)).all())  # noqa: E711
        assert len(ran) == JOB_COUNT
        worker.send_signal(signal.SIGTERM)
        _out, err = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
        engine.dispose()
    assert worker.returncode == 0
    assert "job runner stopped" in err
    with Session(engine) as s:
        assert all(row.lease_owner is None for row in s.exec(select(Job)).all())
