"""A sent plan taken back before the worker decides; an over-frame plan sent only with the
own share the client confirmed (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlmodel import Session, col, select

from app.errors import NotFound
from app.models.actor import Actor, MandateScope
from app.models.audit import AuditEvent
from app.models.budget import PlanAction, PlanEvent, PlanStatus
from app.models.mandate import Mandate
from app.models.notification import Notification
from app.models.user import Role
from app.services.budget import frames as budget_service
from app.services.budget import plan
from app.services.notifications.kinds import Kind
from tests.support.budget_world import TODAY, BudgetWorld, build, user


@pytest.fixture
def world(session: Session) -> BudgetWorld:
    return build(session)


def _sent(world: BudgetWorld) -> tuple[object, Actor]:
    budget = world.frame(100_000)
    client = world.actor(world.client)
    plan.add_line(world.session, client, budget, world.offer(2_500).id, 2, 2, TODAY)  # type: ignore[arg-type]
    plan.submit(world.session, client, budget, "")
    return budget, client


def _worker_notes(world: BudgetWorld, kind: Kind) -> list[Notification]:
    return list(
        world.session.exec(
            select(Notification).where(
                Notification.user_id == world.case_worker.id, Notification.kind == kind
            )
        ).all()
    )


def test_taken_back_plan_is_a_draft_again_and_the_worker_is_told(world: BudgetWorld) -> None:
    budget, client = _sent(world)
    sent = budget_service.latest_version(world.session, budget)
    assert sent is not None and sent.status == PlanStatus.submitted
    [waiting] = _worker_notes(world, Kind.plan_submitted)
    assert waiting.resolved_at is None

    back = plan.take_back(world.session, client, budget, sent.number)  # type: ignore[arg-type]

    assert back.id == sent.id and back.status == PlanStatus.draft and back.submitted_at is None
    world.session.refresh(waiting)
    assert waiting.resolved_at is not None  # "decide the plan" is handled
    assert len(_worker_notes(world, Kind.plan_taken_back)) == 1
    actions = world.session.exec(
        select(PlanEvent.action).where(PlanEvent.budget_id == budget.id)  # type: ignore[attr-defined]
    ).all()
    assert actions[-1] == PlanAction.taken_back
    audited = world.session.exec(
        select(AuditEvent).where(
            AuditEvent.record_type == "plan_version", AuditEvent.record_id == str(sent.id)
        )
    ).all()
    assert len(audited) >= 2  # sent, taken back
    # Editable again: a line is added to the same version, and it is sent once more.
    plan.add_line(world.session, client, budget, world.offers[0].id, 1, 1, TODAY)  # type: ignore[arg-type]
    assert budget_service.latest_version(world.session, budget).number == sent.number  # type: ignore[union-attr]
    again = plan.submit(world.session, client, budget, "", sent.number)
    assert again.status == PlanStatus.submitted
    open_notes = [n for n in _worker_notes(world, Kind.plan_submitted) if n.resolved_at is None]
    assert len(open_notes) == 1  # sent again: the worker has a new notice to decide
    plan.confirm(world.session, world.actor(world.case_worker), budget, "ok")
    assert [n.resolved_at is not None for n in _worker_notes(world, Kind.plan_submitted)] == [
        True,
        True,
    ]


def test_take_back_twice_is_harmless_and_a_decided_plan_cannot_be_taken_back(
    world: BudgetWorld,
) -> None:
    budget, client = _sent(world)
    number = budget_service.latest_version(world.session, budget).number  # type: ignore[union-attr]
    plan.take_back(world.session, client, budget, number)
    plan.take_back(world.session, client, budget, number)  # a second tab: nothing more
    assert len(_worker_notes(world, Kind.plan_taken_back)) == 1
    with pytest.raises(plan.NotWaiting):
        plan.take_back(world.session, client, budget, number + 1)  # not the version shown
    plan.submit(world.session, client, budget, "")
    plan.confirm(world.session, world.actor(world.case_worker), budget, "ok")
    with pytest.raises(plan.NotWaiting):
        plan.take_back(world.session, client, budget, number)
    assert budget_service.latest_version(world.session, budget).status == PlanStatus.confirmed  # type: ignore[union-attr]


def test_only_the_client_side_with_a_plan_mandate_takes_back(world: BudgetWorld) -> None:
    budget, _client = _sent(world)
    number = budget_service.latest_version(world.session, budget).number  # type: ignore[union-attr]
    with pytest.raises(NotFound):
        plan.take_back(world.session, world.actor(world.case_worker), budget, number)
    other = user(world.session, "Olli", Role.client, organiser_id=world.organiser.id)
    with pytest.raises(NotFound):
        plan.take_back(world.session, world.actor(other), budget, number)
    helper = user(world.session, "Hanna", Role.assistant, organiser_id=world.organiser.id)
    viewing = replace(
        world.actor(helper), on_behalf_of=world.client, mandate_scopes=frozenset({"view"})
    )
    with pytest.raises(NotFound):
        plan.take_back(world.session, viewing, budget, number)
    assert budget_service.latest_version(world.session, budget).status == PlanStatus.submitted  # type: ignore[union-attr]
    world.session.add(
        Mandate(
            client_user_id=world.client.id,  # type: ignore[arg-type]
            assistant_user_id=helper.id,  # type: ignore[arg-type]
            scopes=[MandateScope.plan.value],
            valid_until=date.today() + timedelta(days=30),
            created_by_id=world.client.id,  # type: ignore[arg-type]
        )
    )
    planning = replace(
        world.actor(helper), on_behalf_of=world.client, mandate_scopes=frozenset({"plan"})
    )
    assert plan.take_back(world.session, planning, budget, number).status == PlanStatus.draft
    event = world.session.exec(
        select(PlanEvent).where(PlanEvent.action == PlanAction.taken_back)
    ).one()
    assert (event.actor_id, event.on_behalf_of_id) == (helper.id, world.client.id)


def test_over_frame_plan_is_sent_only_with_the_confirmed_own_share(session: Session) -> None:
    world = build(session, allows_own_share=True)
    budget = world.frame(10_000)
    client = world.actor(world.client)
    offer = world.offer(6_000)
    plan.add_line(session, client, budget, offer.id, 2, 1, TODAY)  # type: ignore[arg-type]
    assert plan.pending_own_share(session, budget) == 2_000
    with pytest.raises(plan.OwnShareNotAccepted):
        plan.submit(session, client, budget, "")
    # The client confirmed 2 000, then the plan grew: that confirmation no longer holds.
    plan.add_line(session, client, budget, offer.id, 1, 1, TODAY)  # type: ignore[arg-type]
    with pytest.raises(plan.OwnShareNotAccepted):
        plan.submit(session, client, budget, "", None, 2_000)
    latest = budget_service.latest_version(session, budget)
    assert latest is not None and latest.status == PlanStatus.draft
    sent = plan.submit(session, client, budget, "", None, 8_000)
    assert sent.status == PlanStatus.submitted and sent.own_share_cents == 8_000
    # Taken back, the own share it would create is no longer recorded on the version.
    plan.take_back(session, client, budget, sent.number)
    assert sent.own_share_cents == 0
    assert session.exec(select(col(PlanEvent.id))).all()
