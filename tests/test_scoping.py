"""Access scoping in one place: every readable_* builder keeps to its actor's circle.

Two organisers, X and Y, each with a case worker, a client with a budget, a delivery, an
assessment, a goal and a rating; and a client of Y whose named case worker is still X's
worker (moved between organisers): in nobody's caseload at X.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from app.errors import NotFound
from app.models.actor import Actor, MandateScope
from app.models.assessment import Assessment, AssessmentStatus
from app.models.budget import Budget
from app.models.goal import Goal
from app.models.ledger import Delivery, DeliveryStatus
from app.models.rating import Rating
from app.models.user import Role, User
from app.repositories import assessment as assessment_repo
from app.repositories import budget as budget_repo
from app.repositories import catalogue as catalogue_repo
from app.repositories import identity as identity_repo
from app.repositories import ratings as ratings_repo
from app.repositories import scope
from app.services.budget import deliveries, disputes, plan
from app.services.budget import frames as budget_service
from app.services.identity.mandates import in_caseload
from app.services.research import evaluation
from tests.support.budget_world import PERIOD, TODAY, BudgetWorld, build, user


@dataclass
class Side:
    world: BudgetWorld
    budget: Budget
    delivery: Delivery


def _side(session: Session, code: str) -> Side:
    world = build(session, code=code)
    budget = world.frame(100_000)
    client = world.actor(world.client)
    line = plan.add_line(session, client, budget, world.offer(1_000).id, 5, 1, TODAY)
    plan.submit(session, client, budget, "")
    plan.confirm(session, world.actor(world.case_worker), budget, "ok")
    provider = world.actor(world.provider_user)
    deliveries.decide_order(session, provider, line.id, True)  # type: ignore[arg-type]
    delivery = deliveries.report_delivery(session, provider, line.id, TODAY, 1, "")  # type: ignore[arg-type]
    done = deliveries.report_delivery(session, provider, line.id, TODAY, 1, "")  # type: ignore[arg-type]
    deliveries.accept(session, client, budget, done.id)  # type: ignore[arg-type]
    cid = world.client.id
    assert cid is not None
    session.add(Assessment(client_id=cid, instrument_key="k", instrument_version=1))
    session.add(
        Assessment(
            client_id=cid,
            instrument_key="k",
            instrument_version=1,
            status=AssessmentStatus.submitted,
        )
    )
    session.add(Goal(client_id=cid, what="walk", created_by_id=cid))
    session.add(
        Rating(
            offer_id=line.offer_id,
            provider_id=line.provider_id,
            client_id=cid,
            entered_by_id=cid,
            delivery_id=done.id,  # type: ignore[arg-type]
            plan_line_id=line.id,  # type: ignore[arg-type]
            month="2026-06",
            quality=4,
        )
    )
    session.flush()
    return Side(world, budget, delivery)


@dataclass
class Scene:
    session: Session
    x: Side
    y: Side
    moved: User

    def actor(self, person: User) -> Actor:
        return self.x.world.actor(person)

    def client_of(self, budget_id: int) -> int:
        budget = self.session.get(Budget, budget_id)
        assert budget is not None
        return budget.client_id


@pytest.fixture
def scene(session: Session) -> Scene:
    x, y = _side(session, "x"), _side(session, "y")
    moved = user(
        session,
        "Muuttanut",
        Role.client,
        organiser_id=y.world.organiser.id,
        case_worker_id=x.world.case_worker.id,
    )
    session.add(
        Budget(
            client_id=moved.id,  # type: ignore[arg-type]
            organiser_id=y.world.organiser.id,  # type: ignore[arg-type]
            period_start=PERIOD[0],
            period_end=PERIOD[1],
        )
    )
    session.add(Goal(client_id=moved.id, what="move", created_by_id=moved.id))  # type: ignore[arg-type]
    session.add(
        Assessment(
            client_id=moved.id,  # type: ignore[arg-type]
            instrument_key="k",
            instrument_version=1,
            status=AssessmentStatus.submitted,
        )
    )
    session.flush()
    return Scene(session, x, y, moved)


def _clients(scene: Scene, query: Any) -> set[int]:
    """The client ids a builder's rows belong to, whatever the row type."""
    found: set[int] = set()
    for row in scene.session.exec(query).all():
        item = row[0] if isinstance(row, tuple) or hasattr(row, "_fields") else row
        if isinstance(item, int):
            found.add(item)
        elif isinstance(item, User):
            found.add(item.id)  # type: ignore[arg-type]
        elif isinstance(item, Delivery):
            found.add(scene.client_of(item.budget_id))
        elif hasattr(item, "subject_id"):
            found.add(item.subject_id)
        else:
            found.add(item.client_id)
    return found


CASELOAD_BUILDERS = {
    "caseload": scope.caseload,
    "caseload clients": identity_repo.readable_caseload_clients,
    "assessments": assessment_repo.readable_assessments,
    "goals": assessment_repo.readable_goals,
    "caseload budgets": budget_repo.readable_caseload_budgets,
}
CLIENT_BUILDERS = {
    "budgets": budget_repo.readable_budgets,
    "deliveries": budget_repo.readable_deliveries,
    "assessments": assessment_repo.readable_assessments,
    "goals": assessment_repo.readable_goals,
    "ratings": ratings_repo.client_ratings,
    "done deliveries": ratings_repo.client_done_deliveries,
    "audit events": identity_repo.readable_audit_events,
}
ADMIN_BUILDERS = {
    "organiser clients": scope.organiser_clients,
    "audit events": identity_repo.readable_audit_events,
    "organiser deliveries": budget_repo.readable_organiser_deliveries,
}
ALL_BUILDERS = {
    **CASELOAD_BUILDERS,
    **CLIENT_BUILDERS,
    **ADMIN_BUILDERS,
    "order lines": budget_repo.readable_order_lines,
    "provider deliveries": budget_repo.readable_provider_deliveries,
    "provider ratings": ratings_repo.provider_ratings,
    "admin ratings": ratings_repo.admin_ratings,
    "own assessments": assessment_repo.own_assessments,
    "own goals": assessment_repo.own_goals,
    "providers": catalogue_repo.readable_providers,
    "provider offers": catalogue_repo.readable_provider_offers,
    "approvals": catalogue_repo.readable_approvals,
    "admin categories": catalogue_repo.readable_admin_categories,
}


@pytest.mark.parametrize("name", CASELOAD_BUILDERS)
def test_a_case_worker_reads_only_their_caseload_in_their_organiser(
    scene: Scene, name: str
) -> None:
    worker = scene.actor(scene.x.world.case_worker)
    assert _clients(scene, CASELOAD_BUILDERS[name](worker)) == {scene.x.world.client.id}


def test_a_client_moved_to_another_organiser_leaves_the_caseload(scene: Scene) -> None:
    worker = scene.actor(scene.x.world.case_worker)
    with pytest.raises(NotFound):
        in_caseload(scene.session, worker, scene.moved.id)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        budget_service.budget_for_caseworker(scene.session, worker, scene.moved.id)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        budget_service.budget_for_caseworker(scene.session, worker, scene.y.world.client.id)  # type: ignore[arg-type]
    overview = budget_service.caseworker_overview(scene.session, worker)
    assert [client.id for client, _budget, _plan in overview] == [scene.x.world.client.id]


@pytest.mark.parametrize("name", CLIENT_BUILDERS)
def test_a_client_and_their_assistant_read_only_the_client(scene: Scene, name: str) -> None:
    client = scene.x.world.client
    assistant = user(
        scene.session, "Avustaja", Role.assistant, organiser_id=scene.x.world.organiser.id
    )
    acting = replace(
        scene.actor(assistant),
        on_behalf_of=client,
        mandate_scopes=frozenset(s.value for s in MandateScope),
    )
    assert _clients(scene, CLIENT_BUILDERS[name](scene.actor(client))) == {client.id}
    if name != "audit events":  # the audit trail is the client's own, never the assistant's
        assert _clients(scene, CLIENT_BUILDERS[name](acting)) == {client.id}


@pytest.mark.parametrize("name", ADMIN_BUILDERS)
def test_an_admin_reads_only_their_organisers_clients(scene: Scene, name: str) -> None:
    admin = user(scene.session, "Pääkäyttäjä", Role.admin, organiser_id=scene.x.world.organiser.id)
    assert _clients(scene, ADMIN_BUILDERS[name](scene.actor(admin))) == {scene.x.world.client.id}


def test_an_admin_manages_only_their_organisers_catalogue(scene: Scene) -> None:
    x = scene.x.world.organiser.id
    admin = scene.actor(user(scene.session, "Pääkäyttäjä", Role.admin, organiser_id=x))
    approvals = scene.session.exec(catalogue_repo.readable_approvals(admin)).all()
    categories = scene.session.exec(catalogue_repo.readable_admin_categories(admin)).all()
    assert approvals and {a.organiser_id for a in approvals} == {x}
    assert categories and {c.organiser_id for c in categories} == {x}


def test_provider_people_read_only_their_providers_offers(scene: Scene) -> None:
    pia = scene.actor(scene.x.world.provider_user)
    offers = scene.session.exec(catalogue_repo.readable_provider_offers(pia)).all()
    assert offers and {o.provider_id for o in offers} == {scene.x.world.provider.id}
    providers = scene.session.exec(catalogue_repo.readable_providers(pia)).all()
    assert [p.id for p in providers] == [scene.x.world.provider.id]


@pytest.mark.parametrize("name", ALL_BUILDERS)
def test_an_assistant_without_a_live_mandate_reads_nothing(scene: Scene, name: str) -> None:
    assistant = user(
        scene.session, "Avustaja", Role.assistant, organiser_id=scene.x.world.organiser.id
    )
    assert scene.session.exec(ALL_BUILDERS[name](scene.actor(assistant))).all() == []


def test_a_client_cannot_decide_another_clients_delivery(scene: Scene) -> None:
    me = scene.actor(scene.x.world.client)
    other = scene.y
    with pytest.raises(NotFound):
        deliveries.accept(scene.session, me, other.budget, other.delivery.id)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        disputes.dispute(scene.session, me, other.budget, other.delivery.id, "no")  # type: ignore[arg-type]
    scene.session.refresh(other.delivery)
    assert other.delivery.status == DeliveryStatus.reported
    # Their own delivery on their own budget goes through.
    mine = deliveries.accept(scene.session, me, scene.x.budget, scene.x.delivery.id)  # type: ignore[arg-type]
    assert mine.status == DeliveryStatus.confirmed


def test_one_budget_per_client_and_period_and_the_latest_period_is_the_clients(
    scene: Scene,
) -> None:
    """A second budget for the same client and period is refused by the database (10
    parallel first frames once made 10); of several periods the latest one is shown."""
    from sqlalchemy.exc import IntegrityError

    world = scene.x.world
    older = scene.x.budget
    with pytest.raises(IntegrityError), scene.session.begin_nested():
        scene.session.add(
            Budget(
                client_id=older.client_id,
                organiser_id=older.organiser_id,
                period_start=older.period_start,
                period_end=date(2026, 6, 30),
            )
        )
        scene.session.flush()
    client_id = world.client.id
    assert client_id is not None
    worker = world.actor(world.case_worker)
    later = Budget(
        client_id=older.client_id,
        organiser_id=older.organiser_id,
        period_start=date(2027, 1, 1),
        period_end=date(2027, 12, 31),
    )
    scene.session.add(later)
    scene.session.flush()
    assert budget_service.budget_of_client(scene.session, world.actor(world.client)) == later
    assert budget_service.caseload_budget(scene.session, worker, client_id) == later
    assert evaluation.newest_budget(scene.session, client_id) == later


def test_only_a_live_mandate_lets_an_assistant_act(scene: Scene) -> None:
    from app.models.base import utcnow
    from app.models.mandate import Mandate
    from app.services.identity import mandates

    client = scene.x.world.client
    assistant = user(
        scene.session, "Avustaja", Role.assistant, organiser_id=scene.x.world.organiser.id
    )
    today = mandates.today()
    terms = {"client_user_id": client.id, "assistant_user_id": assistant.id, "scopes": ["view"]}
    expired = Mandate(**terms, valid_until=date(2000, 1, 1), created_by_id=client.id)  # type: ignore[arg-type]
    revoked = Mandate(**terms, valid_until=today, created_by_id=client.id, revoked_at=utcnow())  # type: ignore[arg-type]
    scene.session.add_all([expired, revoked])
    scene.session.flush()
    assert scene.session.exec(scope.live_mandates(assistant.id, today)).all() == []  # type: ignore[arg-type]
    for ended in (expired, revoked):
        assert mandates.live_mandate(scene.session, ended.id, assistant.id) is None  # type: ignore[arg-type]
    assert scope.client_side_id(scene.actor(assistant)) is None
    live = Mandate(**terms, valid_until=today, created_by_id=client.id)  # type: ignore[arg-type]
    scene.session.add(live)
    scene.session.flush()
    assert scene.session.exec(scope.live_mandates(assistant.id, today)).all() == [live]  # type: ignore[arg-type]
    # Someone else's live mandate is not this assistant's.
    other = user(scene.session, "Toinen", Role.assistant, organiser_id=scene.x.world.organiser.id)
    assert mandates.live_mandate(scene.session, live.id, other.id) is None  # type: ignore[arg-type]
    # Acting for the client, the assistant cannot manage the client's mandates.
    acting = mandates.acting_actor(scene.session, scene.actor(assistant), live)
    assert scene.session.exec(identity_repo.given_mandates(acting)).all() == []
