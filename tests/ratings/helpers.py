"""Rating test helpers: clients who have used an offer (confirmed plan, confirmed delivery)."""

from __future__ import annotations

from datetime import date

from app.models.budget import Budget, ExperimentArm
from app.models.ledger import Delivery
from app.models.offer import Offer
from app.models.user import Membership, Role, User
from app.services.budget import deliveries, plan
from app.services.budget import frames as budget_service
from tests.support.budget_world import PERIOD, BudgetWorld


def new_client(world: BudgetWorld, name: str) -> User:
    person = User(display_name=name)
    world.session.add(person)
    world.session.flush()
    world.session.add(
        Membership(
            user_id=person.id,  # type: ignore[arg-type]
            role=Role.client,
            organiser_id=world.organiser.id,
            case_worker_id=world.case_worker.id,
        )
    )
    world.session.flush()
    return person


def budget_for(world: BudgetWorld, client: User) -> Budget:
    existing = budget_service.budget_of_client(world.session, world.actor(client))
    if existing is not None:
        return existing
    return budget_service.set_frame(
        world.session,
        world.actor(world.case_worker),
        client.id,  # type: ignore[arg-type]
        budget_service.FrameInput(1_000_000, ExperimentArm.a, {}, "t", PERIOD[0], PERIOD[1]),
    )


def use(
    world: BudgetWorld, client: User, offers: list[Offer], day: date, confirm: bool = True
) -> list[Delivery]:
    """The client plans the offers, the plan is confirmed, each is delivered on `day`."""
    budget = budget_for(world, client)
    actor = world.actor(client)
    lines = [plan.add_line(world.session, actor, budget, o.id, 1, 10, day) for o in offers]  # type: ignore[arg-type]
    plan.submit(world.session, actor, budget, "")
    plan.confirm(world.session, world.actor(world.case_worker), budget, "")
    provider = world.actor(world.provider_user)
    done = []
    for line in lines:
        deliveries.decide_order(world.session, provider, line.id, True)  # type: ignore[arg-type]
        delivery = deliveries.report_delivery(world.session, provider, line.id, day, 1, "")  # type: ignore[arg-type]
        if confirm:
            deliveries.accept(world.session, actor, budget, delivery.id)  # type: ignore[arg-type]
        done.append(delivery)
    return done
