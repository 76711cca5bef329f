"""What each scheduled job does, called the way the runner calls it (a session or the engine,
and the time): auto-accept, mandate expiry and its notices, stored evaluation reminders,
listing staleness, the search outbox, session and rate-limit cleanup."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.config import Environment, Settings
from app.models.identity import RateLimitHit
from app.models.ledger import Delivery, DeliveryStatus
from app.models.login_session import LoginSession
from app.models.mandate import Mandate
from app.models.notification import Notification
from app.models.search import SearchOutbox
from app.models.user import Role
from app.services.budget import deliveries
from app.services.catalogue import staleness
from app.services.identity import mandate_expiry, sessions
from app.services.identity.mandates import FINLAND
from app.services.operations import registry, runner
from app.services.research import reminders
from tests.budget.test_plan_and_ledger import _confirmed_line
from tests.support.budget_world import TODAY, BudgetWorld, build, user

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def world(session: Session) -> BudgetWorld:
    return build(session)


def _notices(session: Session, kind: str) -> list[tuple[int, str]]:
    rows = session.exec(select(Notification).where(Notification.kind == kind)).all()
    return sorted((n.user_id, n.kind) for n in rows)


def _spec(name: str) -> runner.JobSpec:
    specs = {s.name: s for s in registry.jobs(Settings(environment=Environment.test))}
    return specs[name]


def test_auto_accept_job_accepts_what_is_due_in_finland(world: BudgetWorld) -> None:
    _budget, line = _confirmed_line(world)
    provider = world.actor(world.provider_user)
    delivery = deliveries.report_delivery(world.session, provider, line.id, TODAY, 1, "")  # type: ignore[arg-type]
    due = deliveries.auto_accept_on(delivery, world.organiser)
    assert due == delivery.created_at.date() + timedelta(days=14)
    # Midnight in Helsinki is the evening before in UTC: the due day starts there.
    midnight = datetime.combine(due, datetime.min.time(), FINLAND).astimezone(UTC)
    assert midnight.date() < due
    assert deliveries.auto_accept_job(world.session, midnight - timedelta(minutes=1)) == (0, 0)
    assert deliveries.auto_accept_job(world.session, midnight) == (1, 0)
    assert world.session.get(Delivery, delivery.id).status == DeliveryStatus.auto_accepted  # type: ignore[union-attr]


def _mandate(world: BudgetWorld, valid_until: date) -> tuple[Mandate, int]:
    assistant = user(world.session, "Hanna", Role.assistant, organiser_id=world.organiser.id)
    mandate = Mandate(
        client_user_id=world.client.id,  # type: ignore[arg-type]
        assistant_user_id=assistant.id,  # type: ignore[arg-type]
        scopes=["deliveries"],
        valid_until=valid_until,
        created_by_id=world.client.id,  # type: ignore[arg-type]
    )
    world.session.add(mandate)
    world.session.flush()
    return mandate, assistant.id  # type: ignore[return-value]


def test_mandate_expiry_ends_acting_and_tells_both_once(world: BudgetWorld) -> None:
    today = NOW.date()
    ending, assistant_id = _mandate(world, today + timedelta(days=7))
    s = world.session
    at = int(NOW.timestamp())
    acting = LoginSession(
        token_hash="a" * 64,
        user_id=assistant_id,
        started_at=at,
        seen_at=at,
        acting_mandate_id=ending.id,
    )
    s.add(acting)
    s.flush()
    assert mandate_expiry.expire_mandates(s, NOW)["ending"] == 1
    told = sorted([world.client.id, assistant_id])
    assert [u for u, _k in _notices(s, "mandate_ending")] == told
    assert acting.acting_mandate_id == ending.id  # still in force
    mandate_expiry.expire_mandates(s, NOW)  # a second run tells no one twice
    assert len(_notices(s, "mandate_ending")) == 2

    after = NOW + timedelta(days=8)
    result = mandate_expiry.expire_mandates(s, after)
    assert result == {"sessions_stopped": 1, "ended": 1, "ending": 0}
    s.refresh(acting)
    assert acting.acting_mandate_id is None
    assert [u for u, _k in _notices(s, "mandate_ended")] == told
    mandate_expiry.expire_mandates(s, after)
    assert len(_notices(s, "mandate_ended")) == 2


def test_evaluation_reminders_are_stored_for_client_and_worker_once(world: BudgetWorld) -> None:
    _confirmed_line(world)
    s = world.session
    assert reminders.store_reminders(s, NOW) == 0
    assert _notices(s, "evaluation_due") == []
    a_year_on = datetime.now(UTC) + timedelta(days=370)
    assert reminders.store_reminders(s, a_year_on) == 1
    reminders.store_reminders(s, a_year_on + timedelta(days=1))
    expected = sorted(
        [(world.client.id, "evaluation_due"), (world.case_worker.id, "evaluation_due")]
    )
    assert _notices(s, "evaluation_due") == expected


def test_a_listing_unchecked_for_a_year_is_announced_to_the_provider(world: BudgetWorld) -> None:
    fresh = world.offer(1_000)
    old = world.offer(2_000)
    old.last_checked_at = NOW - timedelta(days=400)
    fresh.last_checked_at = NOW - timedelta(days=30)
    s = world.session
    s.add_all([fresh, old])
    s.flush()
    assert staleness.notify_stale_listings(s, NOW) == 1
    staleness.notify_stale_listings(s, NOW)
    rows = s.exec(select(Notification).where(Notification.kind == "listing_stale")).all()
    assert [(n.user_id, n.params["offer_id"]) for n in rows] == [(world.provider_user.id, old.id)]


def test_session_and_rate_limit_cleanup_delete_only_old_rows(engine: Engine) -> None:
    with Session(engine) as s:
        world = build(s)
        at = int(NOW.timestamp())
        keep = at - sessions.KEEP_SECONDS
        for i, seen in enumerate((keep - 1, keep + 1)):
            s.add(
                LoginSession(
                    token_hash=str(i) * 64,
                    user_id=world.client.id,  # type: ignore[arg-type]
                    started_at=seen,
                    seen_at=seen,
                )
            )
        s.add(RateLimitHit(bucket="login:x", at=NOW - timedelta(seconds=301)))
        s.add(RateLimitHit(bucket="login:x", at=NOW - timedelta(seconds=10)))
        s.commit()
    _spec("session_cleanup").run(engine, NOW)
    _spec("rate_limit_cleanup").run(engine, NOW)  # the settings' window: 300 s
    with Session(engine) as s:
        assert s.exec(select(LoginSession.seen_at)).all() == [keep + 1]
        hits = s.exec(select(RateLimitHit.at)).all()
        assert len(hits) == 1


def test_search_outbox_job_sends_the_queue(engine: Engine) -> None:
    with Session(engine) as s:
        world = build(s)
        offer = world.offer(1_000)
        s.add(SearchOutbox(offer_id=offer.id))  # type: ignore[arg-type]
        s.commit()
    assert _spec("search_outbox").run(engine, NOW) >= 1  # type: ignore[operator]
    with Session(engine) as s:
        assert s.exec(select(col(SearchOutbox.id))).all() == []
