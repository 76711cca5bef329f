"""Each state change tells the people concerned, in their language, with a link, and the
notification clears when the thing is handled."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.i18n import reset_locale, set_locale
from app.models.actor import MandateScope
from app.models.mandate import Mandate
from app.models.notification import Notification
from app.models.provider import ApprovalStatus, ProviderApproval
from app.models.user import Role
from app.services.budget import deliveries, disputes, plan
from app.services.catalogue import listings
from app.services.identity import mandates
from app.services.notifications import service
from tests.support.budget_world import TODAY, BudgetWorld, build, user


@pytest.fixture
def world(session: Session) -> BudgetWorld:
    return build(session)


def _notes(world: BudgetWorld, kind: str) -> list[Notification]:
    query = select(Notification).where(Notification.kind == kind).order_by(Notification.id)
    return list(world.session.exec(query).all())


def _assistant(world: BudgetWorld, scopes: list[str], name: str = "Aapo") -> int:
    helper = user(world.session, name, Role.assistant, organiser_id=world.organiser.id)
    world.session.add(
        Mandate(
            client_user_id=world.client.id,  # type: ignore[arg-type]
            assistant_user_id=helper.id,  # type: ignore[arg-type]
            scopes=scopes,
            valid_until=mandates.today() + timedelta(days=30),
            created_by_id=world.client.id,  # type: ignore[arg-type]
        )
    )
    world.session.flush()
    return helper.id  # type: ignore[return-value]


def _submitted(world: BudgetWorld, units: int = 10, price: int = 5_000):
    budget = world.frame(100_000)
    client = world.actor(world.client)
    line = plan.add_line(world.session, client, budget, world.offer(price).id, units, 1, TODAY)
    plan.submit(world.session, client, budget, "")
    return budget, line


def _delivered(world: BudgetWorld):
    budget, line = _submitted(world)
    plan.confirm(world.session, world.actor(world.case_worker), budget, "ok")
    provider = world.actor(world.provider_user)
    deliveries.decide_order(world.session, provider, line.id, True)
    delivery = deliveries.report_delivery(world.session, provider, line.id, TODAY, 2, "")
    return budget, line, delivery


def test_plan_sent_tells_the_case_worker_in_their_language(world: BudgetWorld) -> None:
    world.case_worker.locale = "sv"
    budget, _line = _submitted(world)
    [note] = _notes(world, "plan_submitted")
    assert note.user_id == world.case_worker.id
    assert note.link == f"/asiakkaat/{world.client.id}/budjetti"
    token = set_locale("sv")
    try:
        [entry] = service.inbox(world.session, world.case_worker.id)  # type: ignore[arg-type]
    finally:
        reset_locale(token)
    # Whose plan is on the linked page (where that read is logged), not in the notice.
    assert entry.text == "En klient skickade en budgetplan för dig att besluta om."
    assert "Aino" not in entry.text


def test_plan_confirmed_tells_the_client_side_and_clears_the_worker(world: BudgetWorld) -> None:
    with_plan = _assistant(world, [MandateScope.view.value, MandateScope.plan.value])
    _assistant(world, [MandateScope.view.value], name="Without plan scope")
    budget, _line = _submitted(world)
    plan.confirm(world.session, world.actor(world.case_worker), budget, "ok")
    assert {n.user_id for n in _notes(world, "plan_confirmed")} == {world.client.id, with_plan}
    assert all(n.link == "/oma/budjetti" for n in _notes(world, "plan_confirmed"))
    [asked] = _notes(world, "plan_submitted")
    assert asked.resolved_at is not None


def test_plan_returned_tells_the_client(world: BudgetWorld) -> None:
    budget, _line = _submitted(world)
    plan.return_plan(world.session, world.actor(world.case_worker), budget, "fix")
    assert [n.user_id for n in _notes(world, "plan_returned")] == [world.client.id]


def test_frame_set_and_changed_tell_the_client(world: BudgetWorld) -> None:
    world.frame(100_000)
    world.frame(120_000)
    notes = _notes(world, "frame_set")
    assert [n.user_id for n in notes] == [world.client.id, world.client.id]


def test_new_and_cancelled_orders_tell_the_provider(world: BudgetWorld) -> None:
    budget, line = _submitted(world)
    worker = world.actor(world.case_worker)
    plan.confirm(world.session, worker, budget, "ok")
    [new] = _notes(world, "order_new")
    assert new.user_id == world.provider_user.id and new.link == "/tuottaja/tilaukset"
    assert "client" not in new.params  # no client's name outside the logged pages
    client = world.actor(world.client)
    plan.remove_line(world.session, client, budget, line.id)
    plan.add_line(world.session, client, budget, world.offer(1_000).id, 1, 1, TODAY)
    plan.submit(world.session, client, budget, "")
    plan.confirm(world.session, worker, budget, "again")
    [cancelled] = _notes(world, "order_cancelled")
    assert cancelled.user_id == world.provider_user.id
    assert len(_notes(world, "order_new")) == 2
    assert world.session.get(Notification, new.id).resolved_at is not None  # type: ignore[union-attr]


def test_confirmed_delivery_clears_confirm_for_client_and_assistant(world: BudgetWorld) -> None:
    helper = _assistant(world, [MandateScope.view.value, MandateScope.deliveries.value])
    budget, _line, delivery = _delivered(world)
    notes = _notes(world, "delivery_reported")
    assert {n.user_id for n in notes} == {world.client.id, helper}
    assert {n.link for n in notes} == {"/oma/toimitukset"}
    assert all(n.resolved_at is None for n in notes)
    deliveries.accept(world.session, world.actor(world.client), budget, delivery.id)
    for note in notes:
        world.session.refresh(note)
    assert all(n.resolved_at is not None and n.read_at is not None for n in notes)


def test_disputed_delivery_tells_worker_and_provider(world: BudgetWorld) -> None:
    budget, _line, delivery = _delivered(world)
    disputes.dispute(world.session, world.actor(world.client), budget, delivery.id, "no")
    notes = {n.user_id: n.link for n in _notes(world, "delivery_disputed")}
    assert notes == {
        world.case_worker.id: f"/asiakkaat/{world.client.id}/budjetti",
        world.provider_user.id: "/tuottaja/tilaukset",
    }
    [reported] = _notes(world, "delivery_reported")
    assert reported.resolved_at is not None


def test_thresholds_tell_client_and_worker_once_each(world: BudgetWorld) -> None:
    budget, line = _submitted(world, units=10, price=10_000)
    plan.confirm(world.session, world.actor(world.case_worker), budget, "ok")
    provider = world.actor(world.provider_user)
    deliveries.decide_order(world.session, provider, line.id, True)
    for units in (8, 1, 1):
        delivery = deliveries.report_delivery(world.session, provider, line.id, TODAY, units, "")
        deliveries.accept(world.session, world.actor(world.client), budget, delivery.id)
    notes = _notes(world, "budget_used")
    assert sorted((n.user_id, n.params["percent"]) for n in notes) == sorted(
        (who, p) for who in (world.client.id, world.case_worker.id) for p in (75, 90, 100)
    )


def test_mandate_given_and_ended_tell_client_and_assistant(world: BudgetWorld) -> None:
    helper = user(world.session, "Aapo", Role.assistant, organiser_id=world.organiser.id)
    client = world.actor(world.client)
    until = mandates.today() + timedelta(days=10)
    mandate = mandates.give(world.session, client, helper.id, ["view"], until)  # type: ignore[arg-type]
    expected = {world.client.id, helper.id}
    assert {n.user_id for n in _notes(world, "mandate_given")} == expected
    mandates.revoke(world.session, client, mandate.id)  # type: ignore[arg-type]
    assert {n.user_id for n in _notes(world, "mandate_ended")} == expected


def test_approval_decided_tells_the_provider(world: BudgetWorld) -> None:
    approval = world.session.exec(select(ProviderApproval)).one()
    listings.decide(world.session, None, approval, ApprovalStatus.suspended, "check")
    [note] = _notes(world, "approval_decided")
    assert note.user_id == world.provider_user.id and note.link == "/tuottaja"


def test_overdraw_notice_survives_the_refused_request(engine: Engine, session: Session) -> None:
    world = build(session)
    budget, line = _submitted(world, units=10, price=5_000)
    plan.confirm(world.session, world.actor(world.case_worker), budget, "ok")
    provider = world.actor(world.provider_user)
    deliveries.decide_order(world.session, provider, line.id, True)
    world.frame(5_000)  # lowered after confirmation: the delivery cannot be paid
    delivery = deliveries.report_delivery(world.session, provider, line.id, TODAY, 2, "")
    client = world.actor(world.client)
    session.commit()
    with Session(engine) as request:
        with pytest.raises(deliveries.Overdraw):
            deliveries.accept(request, client, budget, delivery.id)
        request.rollback()
    with Session(engine) as after:
        told = after.exec(select(Notification).where(Notification.kind == "overdraw")).all()
    assert [n.user_id for n in told] == [world.case_worker.id]
    assert told[0].link == f"/asiakkaat/{world.client.id}/budjetti"


def test_auto_accepted_delivery_tells_client_and_provider(world: BudgetWorld) -> None:
    budget, _line, delivery = _delivered(world)
    deliveries.auto_accept(world.session, mandates.today() + timedelta(days=60))
    notes = {n.user_id: n.link for n in _notes(world, "delivery_auto_accepted")}
    assert notes == {
        world.client.id: "/oma/toimitukset",
        world.provider_user.id: "/tuottaja/tilaukset",
    }
    [reported] = _notes(world, "delivery_reported")
    assert reported.resolved_at is not None
