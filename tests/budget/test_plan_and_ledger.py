"""Plan state machine, orders, deliveries and the ledger (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from app.models.budget import OrderStatus, PlanStatus
from app.models.ledger import DeliveryStatus, LedgerEntry
from app.models.notification import Notification
from app.models.offer import OfferStatus
from app.models.provider import ApprovalStatus, ProviderApproval
from app.services.budget import deliveries, disputes, ledger, plan, plan_offers
from app.services.budget import frames as budget_service
from tests.support.budget_world import TODAY, BudgetWorld, build


@pytest.fixture
def world(session: Session) -> BudgetWorld:
    return build(session)


def _confirmed_line(world: BudgetWorld, frame: int = 100_000, price: int = 5_000, units: int = 10):
    budget = world.frame(frame)
    offer = world.offer(price)
    client = world.actor(world.client)
    line = plan.add_line(world.session, client, budget, offer.id, units, 1, TODAY)
    own_share = plan.pending_own_share(world.session, budget)
    plan.submit(world.session, client, budget, "", None, own_share)
    plan.confirm(world.session, world.actor(world.case_worker), budget, "ok")
    deliveries.decide_order(world.session, world.actor(world.provider_user), line.id, True)
    return budget, line


def test_state_machine(world: BudgetWorld) -> None:
    budget = world.frame(100_000)
    offer = world.offer(2_500)
    client = world.actor(world.client)
    worker = world.actor(world.case_worker)
    line = plan.add_line(world.session, client, budget, offer.id, 2, 10, TODAY)
    assert line.cost_cents == 50_000 and line.title["fi"] == "Palvelu 2500"
    first = plan.submit(world.session, client, budget, "hello")
    assert first.status == PlanStatus.submitted
    with pytest.raises(plan.AlreadySubmitted):
        plan.submit(world.session, client, budget, "again")
    with pytest.raises(plan.PlanLocked):
        plan.add_line(world.session, client, budget, offer.id, 1, 1, TODAY)
    plan.return_plan(world.session, worker, budget, "too much")
    assert first.status == PlanStatus.returned
    with pytest.raises(plan.NotSubmitted):
        plan.confirm(world.session, worker, budget, "")
    plan.add_line(world.session, client, budget, offer.id, 1, 1, TODAY)
    assert first.status == PlanStatus.draft
    plan.submit(world.session, client, budget, "")
    plan.confirm(world.session, worker, budget, "fine")
    assert first.status == PlanStatus.confirmed
    # Changing a confirmed plan makes a new version; the confirmed one is untouched.
    plan.add_line(world.session, client, budget, offer.id, 1, 1, TODAY)
    second = budget_service.latest_version(world.session, budget)
    assert second is not None and second.number == 2 and second.status == PlanStatus.draft
    assert len(budget_service.lines_of(world.session, first)) == 2
    assert len(budget_service.lines_of(world.session, second)) == 3
    changes = plan.diff(
        budget_service.lines_of(world.session, first),
        budget_service.lines_of(world.session, second),
    )
    assert [c for c, _o, _n in changes].count("added") == 1
    plan.submit(world.session, client, budget, "")
    plan.confirm(world.session, worker, budget, "")
    assert first.superseded and budget_service.confirmed_version(world.session, budget) == second


def test_price_is_snapshotted(world: BudgetWorld) -> None:
    budget = world.frame(100_000)
    offer = world.offer(1_000)
    line = plan.add_line(world.session, world.actor(world.client), budget, offer.id, 1, 1, TODAY)
    offer.unit_price_cents = 9_999
    world.session.add(offer)
    world.session.flush()
    world.session.refresh(line)
    assert line.unit_price_cents == 1_000


def test_bad_input(world: BudgetWorld) -> None:
    budget = world.frame(10_000)
    client = world.actor(world.client)
    for qty, rep in [(0, 1), (1, 0), (-3, 1), (1001, 1), (1, 100_000)]:
        with pytest.raises(plan.BadQuantity):
            plan.add_line(world.session, client, budget, world.offer(100).id, qty, rep, TODAY)
    with pytest.raises(plan_offers.OfferUnavailable):
        plan.add_line(
            world.session,
            client,
            budget,
            world.offer(100, status=OfferStatus.draft).id,
            1,
            1,
            TODAY,
        )
    expired = world.offer(100, valid_to=date(2026, 1, 31))
    with pytest.raises(plan_offers.OfferUnavailable):
        plan.add_line(world.session, client, budget, expired.id, 1, 1, TODAY)
    offer = world.offer(100)
    approval = world.session.exec(select(ProviderApproval)).one()
    approval.status = ApprovalStatus.suspended
    world.session.add(approval)
    world.session.flush()
    with pytest.raises(plan_offers.OfferUnavailable):
        plan.add_line(world.session, client, budget, offer.id, 1, 1, TODAY)
    with pytest.raises(plan.EmptyPlan):
        plan.submit(world.session, client, budget, "")


def test_over_frame_needs_own_share(world: BudgetWorld) -> None:
    budget = world.frame(10_000)
    client = world.actor(world.client)
    plan.add_line(world.session, client, budget, world.offer(6_000).id, 2, 1, TODAY)
    with pytest.raises(plan.PlanOverFrame):
        plan.submit(world.session, client, budget, "")
    world.organiser.allows_own_share = True
    world.session.add(world.organiser)
    world.session.flush()
    with pytest.raises(plan.OwnShareNotAccepted):
        plan.submit(world.session, client, budget, "")  # not confirmed
    with pytest.raises(plan.OwnShareNotAccepted):
        plan.submit(world.session, client, budget, "", None, 1_000)  # a stale confirmation
    assert plan.pending_own_share(world.session, budget) == 2_000
    submitted = plan.submit(world.session, client, budget, "", None, 2_000)
    assert submitted.own_share_cents == 2_000


def test_frame_versions_and_allocation(world: BudgetWorld) -> None:
    budget = world.frame(100_000)
    world.frame(120_000, {world.categories[0].id: 2_500})
    assert budget.frame_version == 2 and budget.shares_bp == {str(world.categories[0].id): 2500}
    assert ledger.balance(world.session, budget) == 120_000
    assert len(budget_service.frame_versions(world.session, budget)) == 2
    with pytest.raises(budget_service.InvalidShares):
        world.frame(1, {world.categories[0].id: 6_000, world.categories[1].id: 6_000})
    assert ledger.verify(world.session) == []


def test_delivery_flow_and_ledger(world: BudgetWorld) -> None:
    budget, line = _confirmed_line(world)
    provider = world.actor(world.provider_user)
    client = world.actor(world.client)
    delivery = deliveries.report_delivery(world.session, provider, line.id, TODAY, 4, "")
    assert delivery.amount_cents == 20_000 and ledger.balance(world.session, budget) == 100_000
    deliveries.accept(world.session, client, budget, delivery.id)
    deliveries.accept(world.session, client, budget, delivery.id)  # idempotent
    assert ledger.balance(world.session, budget) == 80_000
    with pytest.raises(deliveries.TooManyUnits):
        deliveries.report_delivery(world.session, provider, line.id, TODAY, 7, "")
    second = deliveries.report_delivery(world.session, provider, line.id, TODAY, 6, "")
    disputes.dispute(world.session, client, budget, second.id, "never came")
    with pytest.raises(deliveries.AlreadyDecided):
        deliveries.accept(world.session, client, budget, second.id)
    assert ledger.verify(world.session) == []
    entries = world.session.exec(select(LedgerEntry)).all()
    assert sum(e.amount_cents for e in entries if e.affects_balance) == 80_000


def test_overdraw_refused_and_alerts(world: BudgetWorld) -> None:
    budget, line = _confirmed_line(world, frame=50_000, price=5_000, units=10)
    # Frame lowered after confirmation: the last delivery would overdraw.
    world.frame(40_000)
    provider = world.actor(world.provider_user)
    client = world.actor(world.client)
    first = deliveries.report_delivery(world.session, provider, line.id, TODAY, 8, "")
    deliveries.accept(world.session, client, budget, first.id)
    second = deliveries.report_delivery(world.session, provider, line.id, TODAY, 2, "")
    with pytest.raises(deliveries.Overdraw):
        deliveries.accept(world.session, client, budget, second.id)
    assert ledger.balance(world.session, budget) == 0
    kinds = {n.params.get("percent") for n in world.session.exec(select(Notification)).all()}
    assert {75, 90, 100} <= kinds


def test_own_share_covers_excess(world: BudgetWorld) -> None:
    world.organiser.allows_own_share = True
    budget, line = _confirmed_line(world, frame=40_000, price=5_000, units=10)
    provider = world.actor(world.provider_user)
    delivery = deliveries.report_delivery(world.session, provider, line.id, TODAY, 10, "")
    deliveries.accept(world.session, world.actor(world.client), budget, delivery.id)
    assert (delivery.budget_cents, delivery.own_share_cents) == (40_000, 10_000)
    assert ledger.balance(world.session, budget) == 0
    assert ledger.verify(world.session) == []


def test_declined_order_flagged_and_closed(world: BudgetWorld) -> None:
    budget = world.frame(100_000)
    client = world.actor(world.client)
    line = plan.add_line(world.session, client, budget, world.offer(100).id, 1, 1, TODAY)
    plan.submit(world.session, client, budget, "")
    plan.confirm(world.session, world.actor(world.case_worker), budget, "")
    provider = world.actor(world.provider_user)
    deliveries.decide_order(world.session, provider, line.id, False)
    assert line.order_status == OrderStatus.declined
    with pytest.raises(deliveries.LineNotOpen):
        deliveries.report_delivery(world.session, provider, line.id, TODAY, 1, "")
    declined = select(Notification).where(Notification.kind == "order_declined")
    users = {n.user_id for n in world.session.exec(declined).all()}
    assert users == {world.client.id, world.case_worker.id}


def test_auto_accept(world: BudgetWorld) -> None:
    budget, line = _confirmed_line(world)
    delivery = deliveries.report_delivery(
        world.session, world.actor(world.provider_user), line.id, TODAY, 1, ""
    )
    assert deliveries.auto_accept(world.session, date.today()) == (0, 0)
    later = date.today().toordinal() + world.organiser.delivery_auto_accept_days
    assert deliveries.auto_accept(world.session, date.fromordinal(later)) == (1, 0)
    assert delivery.status == DeliveryStatus.auto_accepted


def test_verify_finds_tampering(world: BudgetWorld) -> None:
    budget, _line = _confirmed_line(world)
    world.session.add(
        LedgerEntry(budget_id=budget.id, kind="correction", amount_cents=-1, idempotency_key="x")
    )
    world.session.flush()
    assert ledger.verify(world.session) == []  # a correction alone keeps allocations intact
    budget.frame_cents += 1
    world.session.add(budget)
    world.session.flush()
    assert ledger.verify(world.session)


def test_monthly_settlement(world: BudgetWorld) -> None:
    from app.models.user import Role
    from app.services.budget import settlement
    from tests.support.budget_world import user

    budget, line = _confirmed_line(world)
    provider = world.actor(world.provider_user)
    client = world.actor(world.client)
    for day, units in [(date(2026, 5, 31), 1), (date(2026, 6, 1), 2), (date(2026, 6, 30), 3)]:
        d = deliveries.report_delivery(world.session, provider, line.id, day, units, "")
        deliveries.accept(world.session, client, budget, d.id)
    deliveries.report_delivery(world.session, provider, line.id, date(2026, 6, 2), 1, "")
    admin = user(world.session, "Pekka", Role.admin, organiser_id=world.organiser.id)
    rows = settlement.monthly(world.session, world.actor(admin), 2026, 6)
    assert [(r.deliveries, r.units, r.total_cents) for r in rows] == [(2, 5, 25_000)]
    csv_text = settlement.to_csv(rows, 2026, 6)
    assert csv_text.splitlines()[1].endswith(";250.00;0.00;250.00")
    outsider = user(world.session, "Other", Role.admin, organiser_id=None)
    assert settlement.monthly(world.session, world.actor(outsider), 2026, 6) == []


def test_assistant_acts_on_behalf_of_client(world: BudgetWorld) -> None:
    from app.models.actor import Actor
    from app.models.user import Role
    from tests.support.budget_world import user

    budget = world.frame(100_000)
    helper = user(world.session, "Mikko", Role.assistant, organiser_id=world.organiser.id)
    base = world.actor(helper)
    acting = Actor(
        user=base.user,
        memberships=base.memberships,
        on_behalf_of=world.client,
        mandate_scopes=frozenset({"plan", "view"}),
    )
    assert budget_service.budget_of_client(world.session, acting) == budget
    plan.add_line(world.session, acting, budget, world.offer(100).id, 1, 1, TODAY)
    events = budget_service.history(world.session, budget)
    event, who, for_whom = events[0]
    assert (who, for_whom) == ("Mikko", "Aino")
    assert event.on_behalf_of_id == world.client.id
    # Not acting for anyone: the assistant has no budget of their own.
    assert budget_service.budget_of_client(world.session, base) is None
