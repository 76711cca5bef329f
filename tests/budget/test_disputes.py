"""The dispute flow: the client disputes, the provider corrects, withdraws or contests, the
case worker decides. Each outcome is nothing or a posting (never an edit of an entry), each
step a guarded transition, the history visible to all three, `hebu ledger verify` clean."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from app.cli import app as cli
from app.config import get_settings
from app.db import get_engine
from app.errors import NotFound
from app.models.audit import AuditEvent
from app.models.budget import Budget, PlanLine, PlanStatus, PlanVersion
from app.models.ledger import (
    Delivery,
    DeliveryAction,
    DeliveryStatus,
    DisputeOutcome,
    DisputeReason,
    EntryKind,
    LedgerEntry,
)
from app.models.notification import Notification
from app.models.user import Membership, Role, User
from app.services.budget import deliveries, disputes, ledger, plan
from app.services.identity.users import load_actor
from tests.support.budget_world import TODAY, build
from tests.support.bursts import burst
from tests.support.web import form_post, login_as

PRICE = 1_000


@dataclass(frozen=True)
class Ids:
    budget: int
    client: int
    worker: int
    provider: int
    line: int
    delivery: int


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("HEBU_DATABASE_URL", db_url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield
    get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()


def _world(engine: Engine, code: str = "dsp", units: int = 5) -> Ids:
    """A 100 € budget, a confirmed line of 5 hours at 10 €, and a reported 3-hour delivery."""
    with Session(engine, expire_on_commit=False) as s:
        world = build(s, code=code)
        budget = world.frame(10_000)
        client, worker = world.actor(world.client), world.actor(world.case_worker)
        provider = world.actor(world.provider_user)
        line = plan.add_line(s, client, budget, world.offer(PRICE).id, units, 1, TODAY)  # type: ignore[arg-type]
        plan.submit(s, client, budget, "")
        plan.confirm(s, worker, budget, "")
        deliveries.decide_order(s, provider, line.id, True)  # type: ignore[arg-type]
        delivery = deliveries.report_delivery(s, provider, line.id, TODAY, 3, "", TODAY)  # type: ignore[arg-type]
        s.commit()
        return Ids(
            budget.id,  # type: ignore[arg-type]
            world.client.id,  # type: ignore[arg-type]
            world.case_worker.id,  # type: ignore[arg-type]
            world.provider_user.id,  # type: ignore[arg-type]
            line.id,  # type: ignore[arg-type]
            delivery.id,  # type: ignore[arg-type]
        )


def _as(s: Session, user_id: int):  # noqa: ANN202
    actor = load_actor(s, user_id)
    assert actor is not None
    return actor


def _budget(s: Session, ids: Ids) -> Budget:
    budget = s.get(Budget, ids.budget)
    assert budget is not None
    return budget


def _disputed(engine: Engine, ids: Ids, contest: bool = False) -> None:
    with Session(engine) as s:
        disputes.dispute(
            s,
            _as(s, ids.client),
            _budget(s, ids),
            ids.delivery,
            "vain 2 h",
            DisputeReason.wrong_units,
        )
        if contest:
            disputes.contest(s, _as(s, ids.provider), ids.delivery, "3 h pitää paikkansa")
        s.commit()


def _debits(s: Session, ids: Ids) -> list[tuple[int | None, int]]:
    rows = s.exec(
        select(LedgerEntry).where(
            LedgerEntry.budget_id == ids.budget, LedgerEntry.kind == EntryKind.delivery_debit
        )
    ).all()
    return [(e.delivery_id, e.amount_cents) for e in rows]


def _verified() -> None:
    result = CliRunner().invoke(cli, ["ledger", "verify"])
    assert result.exit_code == 0, result.output


def _actions(s: Session, delivery: Delivery) -> list[DeliveryAction]:
    return [row.event.action for row in disputes.history(s, delivery)]


def _notified(s: Session, user_id: int, kind: str) -> bool:
    found = s.exec(
        select(Notification).where(Notification.user_id == user_id, Notification.kind == kind)
    ).first()
    return found is not None


def test_dispute_tells_the_provider_and_nothing_is_posted(engine: Engine, cli_env: None) -> None:
    ids = _world(engine)
    _disputed(engine, ids)
    with Session(engine) as s:
        delivery = s.get(Delivery, ids.delivery)
        assert delivery is not None and delivery.status == DeliveryStatus.disputed
        assert _debits(s, ids) == []
        assert _notified(s, ids.provider, "delivery_disputed")
        (row,) = disputes.history(s, delivery)
        assert row.event.reason == DisputeReason.wrong_units and row.event.note == "vain 2 h"
        with pytest.raises(deliveries.AlreadyDecided):
            deliveries.accept(s, _as(s, ids.client), _budget(s, ids), ids.delivery)
    _verified()


def test_correct_then_confirm_posts_the_corrected_report_once(
    engine: Engine, cli_env: None
) -> None:
    ids = _world(engine)
    _disputed(engine, ids)
    with Session(engine) as s:
        new = disputes.correct(s, _as(s, ids.provider), ids.delivery, TODAY, 2, "korjattu", TODAY)
        new_id = new.id
        s.commit()
    with Session(engine) as s:
        assert _debits(s, ids) == []  # the correction goes back to the client first
        assert s.get(Delivery, ids.delivery).status == DeliveryStatus.corrected  # type: ignore[union-attr]
        deliveries.accept(s, _as(s, ids.client), _budget(s, ids), new_id)  # type: ignore[arg-type]
        s.commit()
    with Session(engine) as s:
        assert _debits(s, ids) == [(new_id, -2 * PRICE)]
        assert ledger.balance(s, _budget(s, ids)) == 10_000 - 2 * PRICE
        new = s.get(Delivery, new_id)
        assert new is not None
        assert _actions(s, new) == [
            DeliveryAction.disputed,
            DeliveryAction.corrected,
            DeliveryAction.replaces,
            DeliveryAction.confirmed,
        ]
        with pytest.raises(deliveries.AlreadyDecided):  # the replaced one can't come back
            disputes.withdraw(s, _as(s, ids.provider), ids.delivery, "")
    _verified()


def test_a_correction_is_checked_like_a_report(engine: Engine) -> None:
    ids = _world(engine)
    _disputed(engine, ids)
    with Session(engine) as s:
        with pytest.raises(deliveries.TooManyUnits):
            disputes.correct(s, _as(s, ids.provider), ids.delivery, TODAY, 6, "", TODAY)
        later = TODAY + timedelta(days=1)
        with pytest.raises(deliveries.DeliveryInFuture):
            disputes.correct(s, _as(s, ids.provider), ids.delivery, later, 1, "", TODAY)


def test_withdraw_posts_nothing_and_tells_the_client(engine: Engine, cli_env: None) -> None:
    ids = _world(engine)
    _disputed(engine, ids)
    with Session(engine) as s:
        disputes.withdraw(s, _as(s, ids.provider), ids.delivery, "väärä asiakas")
        s.commit()
    with Session(engine) as s:
        delivery = s.get(Delivery, ids.delivery)
        assert delivery is not None and delivery.status == DeliveryStatus.withdrawn
        assert _debits(s, ids) == [] and ledger.balance(s, _budget(s, ids)) == 10_000
        assert _notified(s, ids.client, "dispute_resolved")
        assert _actions(s, delivery) == [DeliveryAction.disputed, DeliveryAction.withdrawn]
    _verified()


@pytest.mark.parametrize(
    ("outcome", "units", "status", "debit"),
    [
        (DisputeOutcome.accept, None, DeliveryStatus.confirmed, 3 * PRICE),
        (DisputeOutcome.reduce, 2, DeliveryStatus.corrected, 2 * PRICE),
        (DisputeOutcome.reject, None, DeliveryStatus.rejected, 0),
    ],
)
def test_contest_goes_to_the_case_worker_who_decides(
    engine: Engine,
    cli_env: None,
    outcome: DisputeOutcome,
    units: int | None,
    status: DeliveryStatus,
    debit: int,
) -> None:
    ids = _world(engine, code=f"dsp-{outcome}")
    _disputed(engine, ids, contest=True)
    with Session(engine) as s:
        assert _notified(s, ids.worker, "dispute_contested")
        assert s.get(Delivery, ids.delivery).status == DeliveryStatus.contested  # type: ignore[union-attr]
        with pytest.raises(deliveries.AlreadyDecided):  # not the client's to confirm now
            deliveries.accept(s, _as(s, ids.client), _budget(s, ids), ids.delivery)
    with Session(engine) as s:
        result = disputes.decide(
            s, _as(s, ids.worker), _budget(s, ids), ids.delivery, outcome, "päätös", units
        )
        result_id = result.id
        s.commit()
    with Session(engine) as s:
        original = s.get(Delivery, ids.delivery)
        assert original is not None and original.status == status
        posted = _debits(s, ids)
        assert sum(-amount for _d, amount in posted) == debit
        assert ledger.balance(s, _budget(s, ids)) == 10_000 - debit
        if debit:
            assert posted == [(result_id, -debit)]
        assert _notified(s, ids.client, "dispute_resolved")
        assert _notified(s, ids.provider, "dispute_resolved")
        final = s.get(Delivery, result_id)
        assert final is not None
        actions = _actions(s, final)
        assert actions[:2] == [DeliveryAction.disputed, DeliveryAction.contested]
        decided = {
            DisputeOutcome.accept: DeliveryAction.accepted,
            DisputeOutcome.reduce: DeliveryAction.reduced,
            DisputeOutcome.reject: DeliveryAction.rejected,
        }[outcome]
        assert decided in actions
        audited = s.exec(
            select(AuditEvent).where(
                AuditEvent.record_type == "delivery", AuditEvent.record_id == str(ids.delivery)
            )
        ).all()
        assert len(audited) >= 3  # disputed, contested, decided (and the report)
        with pytest.raises(deliveries.AlreadyDecided):  # decided once
            disputes.decide(
                s, _as(s, ids.worker), _budget(s, ids), ids.delivery, outcome, "taas", units
            )
    _verified()


def test_fewer_units_must_be_fewer(engine: Engine) -> None:
    ids = _world(engine)
    _disputed(engine, ids, contest=True)
    with Session(engine) as s:
        for units in (None, 3, 4, 0):
            with pytest.raises(disputes.FewerUnitsNeeded):
                disputes.decide(
                    s, _as(s, ids.worker), _budget(s, ids), ids.delivery,
                    DisputeOutcome.reduce, "x", units,
                )  # fmt: skip


def test_a_dispute_racing_a_confirmation_one_wins(engine: Engine, cli_env: None) -> None:
    ids = _world(engine, units=5)

    def confirm(s: Session) -> object:
        return deliveries.accept(s, _as(s, ids.client), _budget(s, ids), ids.delivery)

    def dispute(s: Session) -> object:
        return disputes.dispute(s, _as(s, ids.client), _budget(s, ids), ids.delivery, "ei")

    results = burst(engine, [confirm, dispute] * 4)
    won = [r for r in results if isinstance(r, Delivery)]
    lost = [r for r in results if isinstance(r, deliveries.AlreadyDecided)]
    with Session(engine) as s:
        delivery = s.get(Delivery, ids.delivery)
        assert delivery is not None
        debits = _debits(s, ids)
        if delivery.status == DeliveryStatus.disputed:
            assert debits == []
            assert sum(isinstance(r, Delivery) for r in results[1::2]) == 1
            assert all(isinstance(r, deliveries.AlreadyDecided) for r in results[0::2])
        else:
            assert delivery.status == DeliveryStatus.confirmed
            assert debits == [(ids.delivery, -3 * PRICE)]
            assert all(isinstance(r, deliveries.AlreadyDecided) for r in results[1::2])
        assert len(lost) == len(results) - len(won)
    _verified()


def test_a_provider_answers_only_its_own_disputes(engine: Engine) -> None:
    ids = _world(engine, code="own")
    other = _world(engine, code="oth")
    _disputed(engine, ids)
    with Session(engine) as s:
        with pytest.raises(NotFound):
            disputes.withdraw(s, _as(s, other.provider), ids.delivery, "")
        with pytest.raises(NotFound):
            disputes.contest(s, _as(s, ids.client), ids.delivery, "x")


# --- over HTTP: forms, roles, the pages each side sees ---------------------------------------


def _demo_delivery(session: Session) -> tuple[int, int]:
    """A reported delivery of the demo client-sv on the provider-owner's line: (client, id)."""
    erik = session.exec(select(User).where(User.dev_persona == "client-sv")).one()
    owner = session.exec(select(User).where(User.dev_persona == "provider-owner")).one()
    provider_id = session.exec(
        select(Membership.provider_id).where(
            Membership.user_id == owner.id, Membership.role == Role.provider_owner
        )
    ).one()
    session.commit()
    return erik.id, provider_id  # type: ignore[return-value]


def test_the_flow_over_http(client: TestClient, demo: None, session: Session) -> None:
    erik_id, provider_id = _demo_delivery(session)
    login_as(client, "case-worker")
    assert (
        form_post(client, f"/asiakkaat/{erik_id}/budjetti/vahvista", {"comment": "ok"}).status_code
        == 303
    )
    line = session.exec(
        select(PlanLine)
        .join(PlanVersion, col(PlanVersion.id) == PlanLine.plan_version_id)
        .join(Budget, col(Budget.id) == PlanVersion.budget_id)
        .where(PlanVersion.status == PlanStatus.confirmed, Budget.client_id == erik_id)
        .where(PlanLine.provider_id == provider_id)
    ).first()
    assert line is not None
    session.commit()
    login_as(client, "provider-owner")
    assert form_post(client, f"/tuottaja/tilaukset/{line.id}/hyvaksy").status_code == 303
    day = date.today().replace(day=1).isoformat()
    url = f"/tuottaja/tilaukset/{line.id}/toimitukset"
    assert form_post(client, url, {"delivered_on": day, "units": "2"}).status_code == 303
    delivery = session.exec(select(Delivery).where(Delivery.plan_line_id == line.id)).one()
    session.commit()
    # The client disputes, in Swedish: the reason in plain words.
    login_as(client, "client-sv")
    page = client.get("/oma/toimitukset")
    assert "Det stämmer inte" in page.text
    posted = form_post(
        client, f"/oma/toimitukset/{delivery.id}/kiista", {"code": "not_right", "reason": "bara 1"}
    )
    assert posted.status_code == 303
    assert "bara 1" in client.get("/oma/toimitukset").text  # the history, on the client's side
    # The provider sees it and stands by it (a reason is needed).
    login_as(client, "provider-owner")
    orders = client.get("/tuottaja/tilaukset")
    assert f'href="/tuottaja/toimitukset/{delivery.id}"' in orders.text  # listed as disputed
    shown = client.get(f"/tuottaja/toimitukset/{delivery.id}")
    assert f'action="/tuottaja/toimitukset/{delivery.id}/kiista"' in shown.text
    assert "bara 1" in shown.text
    empty = form_post(client, f"/tuottaja/toimitukset/{delivery.id}/kiista", {"note": ""})
    assert empty.status_code == 422
    contested = form_post(client, f"/tuottaja/toimitukset/{delivery.id}/kiista", {"note": "2 h"})
    assert contested.status_code == 303
    # Another case worker's client list does not reach it; the named worker decides.
    login_as(client, "case-worker")
    page = client.get(f"/asiakkaat/{erik_id}/toimitukset")
    assert page.status_code == 200 and "ratkaise" in page.text
    decide = f"/asiakkaat/{erik_id}/toimitukset/{delivery.id}/ratkaise"
    bad = form_post(client, decide, {"outcome": "reduce", "units": "2", "note": "x"})
    assert bad.status_code == 422  # fewer than reported
    ok = form_post(client, decide, {"outcome": "reduce", "units": "1", "note": "1 h riittää"})
    assert ok.status_code == 303, ok.text[-1500:]
    session.expire_all()
    entries = session.exec(
        select(LedgerEntry).where(
            LedgerEntry.kind == EntryKind.delivery_debit,
            col(LedgerEntry.delivery_id).is_not(None),
        )
    ).all()
    replaced = session.get(Delivery, delivery.id)
    assert replaced is not None and replaced.status == DeliveryStatus.corrected
    assert delivery.id not in [e.delivery_id for e in entries]
    assert any(e.amount_cents == -line.unit_price_cents for e in entries)
    assert ledger.verify(session) == []
    session.commit()
    login_as(client, "client-sv")
    assert "1 h riittää" in client.get("/oma/toimitukset").text
