"""The case worker's worklist (service, both engines): plans waiting for a decision, contested
deliveries and need-change requests of the worker's own clients, oldest first with their age;
another worker's clients never; a fixed number of statements however many clients."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from app.models.budget import PlanVersion
from app.models.ledger import Delivery
from app.models.user import Role
from app.services.budget import deliveries, disputes, plan, worklist
from app.services.research import evaluation
from tests.budget.test_order_list import statements
from tests.support.budget_world import TODAY, build, user


def _backdate(session: Session, row: PlanVersion | Delivery, days: int) -> None:
    moment = datetime(TODAY.year, TODAY.month, TODAY.day, 9, tzinfo=UTC) - timedelta(days=days)
    if isinstance(row, PlanVersion):
        row.submitted_at = moment
    row.updated_at = moment
    session.add(row)
    session.flush()


def test_what_waits_oldest_first_with_its_age(session: Session) -> None:
    world = build(session, code="wl")
    worker = world.actor(world.case_worker)
    provider = world.actor(world.provider_user)
    # Aino: a confirmed plan with a delivery the provider stands by after her dispute.
    aino = world.client
    budget = world.frame(100_000)
    client = world.actor(aino)
    line = plan.add_line(session, client, budget, world.offer(1_000).id, 5, 1, TODAY)  # type: ignore[arg-type]
    plan.submit(session, client, budget, "")
    plan.confirm(session, worker, budget, "")
    deliveries.decide_order(session, provider, line.id, True)  # type: ignore[arg-type]
    reported = deliveries.report_delivery(session, provider, line.id, TODAY, 1, "")  # type: ignore[arg-type]
    disputes.dispute(session, client, budget, reported.id, "ei", today=TODAY)  # type: ignore[arg-type]
    contested = disputes.contest(session, provider, reported.id, "on")  # type: ignore[arg-type]
    _backdate(session, contested, 3)
    # Bea: a plan sent five days ago, and she says her need has changed.
    bea = user(session, "Bea", Role.client, organiser_id=world.organiser.id,
               case_worker_id=world.case_worker.id)  # fmt: skip
    world.client = bea
    bea_budget = world.frame(50_000)
    bea_actor = world.actor(bea)
    plan.add_line(session, bea_actor, bea_budget, world.offer(2_000).id, 1, 1, TODAY)  # type: ignore[arg-type]
    sent = plan.submit(session, bea_actor, bea_budget, "")
    _backdate(session, sent, 5)
    evaluation.request_evaluation(session, bea_actor, "muutin")
    # Another worker's client with a sent plan is not on this list.
    other_worker = user(session, "Outi", Role.case_worker, organiser_id=world.organiser.id)
    stranger = user(session, "Vieras", Role.client, organiser_id=world.organiser.id,
                    case_worker_id=other_worker.id)  # fmt: skip
    world.client, world.case_worker = stranger, other_worker
    stranger_budget = world.frame(10_000)
    stranger_actor = world.actor(stranger)
    plan.add_line(session, stranger_actor, stranger_budget, world.offer(3_000).id, 1, 1, TODAY)  # type: ignore[arg-type]
    plan.submit(session, stranger_actor, stranger_budget, "")

    today = datetime.now(UTC).date()
    with statements(session) as seen:
        items = worklist.worklist(session, worker, today)
    assert len(seen) <= 5
    assert [(i.kind, i.client_name) for i in items] == [
        (worklist.Work.plan, "Bea"),
        (worklist.Work.dispute, "Aino"),
        (worklist.Work.need_changed, "Bea"),  # asked today: the newest
    ]
    plan_item, dispute_item = items[0], items[1]
    assert plan_item.link == f"/asiakkaat/{bea.id}/budjetti"
    assert dispute_item.link == f"/asiakkaat/{aino.id}/toimitukset"
    assert plan_item.days == (today - plan_item.since).days
    assert plan_item.since < dispute_item.since
    assert items[2].days == 0
    assert all(i.client_name != "Vieras" for i in items)
    assert worklist.worklist(session, world.actor(other_worker), today)[0].client_name == "Vieras"
