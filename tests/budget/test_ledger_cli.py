"""`hebu ledger verify` exits 0 on a clean ledger and 1 on a discrepancy;
`hebu deliveries auto-accept` accepts overdue deliveries."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session
from typer.testing import CliRunner

from app.cli import app as cli
from app.config import get_settings
from app.db import get_engine
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


def test_ledger_verify_and_auto_accept(engine: Engine, cli_env: None) -> None:
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
        delivery = deliveries.report_delivery(s, provider, line.id, TODAY, 2, "")  # type: ignore[arg-type]
        world.organiser.delivery_auto_accept_days = 0
        s.add(world.organiser)
        s.commit()
    runner = CliRunner()
    result = runner.invoke(cli, ["deliveries", "auto-accept"])
    assert result.exit_code == 0 and "accepted 1" in result.output
    result = runner.invoke(cli, ["ledger", "verify"])
    assert result.exit_code == 0, result.output
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE delivery SET amount_cents = amount_cents + 1 WHERE id = :id"),
            {"id": delivery.id},
        )
    result = runner.invoke(cli, ["ledger", "verify"])
    assert result.exit_code == 1
