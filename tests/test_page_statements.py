"""The number of SQL statements a main page costs does not grow with the data: two worlds in
one database, alike but for their size (a provider with SMALL orders and one with LARGE, a
client with SMALL deliveries and one with LARGE, a case worker with SMALL clients and one with
LARGE, SMALL and LARGE offers in a category), and each page, asked for by the small world's
person and by the large world's, sends the same statements. A page that loads a row's
relations one row at a time (N+1) fails here, naming the statements it repeated."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.models.offer import Offer, OfferStatus, Unit
from app.models.user import Role
from app.services import search
from app.services.budget import deliveries, frames, plan
from tests.support.budget_world import PERIOD, TODAY, build, user
from tests.support.sql_count import Statements, counting
from tests.support.web import login_as

SMALL = 3
LARGE = 40


@dataclass
class World:
    code: str
    category_id: int
    offer_id: int
    client_id: int


def _world(session: Session, code: str, size: int) -> World:
    """A confirmed plan of `size` lines (each an order of the provider's, each accepted), and
    `size` deliveries reported on its first line, all but one confirmed by the client; `size`
    offers in the first category; `size` more clients with a frame for the case worker."""
    world = build(session, code=code)
    budget = world.frame(10_000_000)
    client = world.actor(world.client)
    provider = world.actor(world.provider_user)
    worker = world.actor(world.case_worker)
    offers = []
    for n in range(size):
        offer = Offer(
            provider_id=world.provider.id,  # type: ignore[arg-type]
            category_id=world.categories[0].id,  # type: ignore[arg-type]
            title={"fi": f"Palvelu {code} {n}", "sv": f"Tjänst {code} {n}"},
            unit=Unit.hour,
            unit_price_cents=1_000 + n,
            status=OfferStatus.published,
        )
        session.add(offer)
        offers.append(offer)
    session.flush()
    lines = [
        plan.add_line(session, client, budget, o.id, size if n == 0 else 1, 1, TODAY)  # type: ignore[arg-type]
        for n, o in enumerate(offers)
    ]
    plan.submit(session, client, budget, "")
    plan.confirm(session, worker, budget, "")
    for line in lines:
        deliveries.decide_order(session, provider, line.id, True)  # type: ignore[arg-type]
    reported = [
        deliveries.report_delivery(session, provider, lines[0].id, TODAY, 1, "", TODAY)  # type: ignore[arg-type]
        for _ in range(size)
    ]
    for delivery in reported[1:]:
        deliveries.accept(session, client, budget, delivery.id)  # type: ignore[arg-type]
    for n in range(size):
        other = user(
            session,
            f"Asiakas {n}",
            Role.client,
            organiser_id=world.organiser.id,
            case_worker_id=world.case_worker.id,
        )
        data = frames.FrameInput(
            frame_cents=50_000,
            arm=frames.ExperimentArm.a,
            shares_bp={},
            reason="test",
            period_start=PERIOD[0],
            period_end=PERIOD[1],
        )
        frames.set_frame(session, worker, other.id, data)  # type: ignore[arg-type]
    for person, role in (
        (world.client, "client"),
        (world.provider_user, "provider"),
        (world.case_worker, "worker"),
    ):
        person.dev_persona = f"{code}-{role}"
        session.add(person)
    session.commit()
    return World(code, world.categories[0].id, offers[0].id, world.client.id)  # type: ignore[arg-type]


def _pages(world: World) -> dict[str, tuple[str, str]]:
    """Each main page: (persona, URL)."""
    code = world.code
    return {
        "catalogue search": (f"{code}-client", f"/palvelut?category={world.category_id}"),
        "offer page": (f"{code}-client", f"/palvelut/{world.offer_id}"),
        "client plan": (f"{code}-client", "/oma/budjetti"),
        "balance": (f"{code}-client", "/oma/saldo"),
        "deliveries": (f"{code}-client", "/oma/toimitukset"),
        "provider orders": (f"{code}-provider", "/tuottaja/tilaukset"),
        "case worker's clients": (f"{code}-worker", "/asiakkaat/budjetit"),
    }


AUDIT_INSERT = "INSERT INTO audit_event"


def _cost(client: TestClient, engine: Engine, persona: str, url: str) -> Statements:
    login_as(client, persona)
    assert client.get(url).status_code == 200, url  # warm: index loaded, session touched
    with counting(engine) as found:
        answer = client.get(url)
    assert answer.status_code == 200, url
    if engine.dialect.name == "sqlite":
        # One audit row per client read is the rule; PostgreSQL inserts them in one batched
        # statement, SQLite's driver cannot batch INSERT … RETURNING without a sentinel column
        # and sends one per row (local, no round trip). Counted as the one batch they are.
        rows = [s for s in found.sql if s.startswith(AUDIT_INSERT)]
        found.sql = [s for s in found.sql if not s.startswith(AUDIT_INSERT)] + rows[:1]
    return found


def _grown(small: Statements, large: Statements) -> str:
    """The statements the large world's page sent more often, most repeated first."""
    more = Counter(" ".join(s.split())[:160] for s in large.sql)
    more.subtract(Counter(" ".join(s.split())[:160] for s in small.sql))
    return "\n".join(f"  +{n} {sql}" for sql, n in more.most_common(5) if n > 0)


def test_main_pages_cost_the_same_statements_whatever_the_size(
    client: TestClient, engine: Engine
) -> None:
    with Session(engine, expire_on_commit=False) as session:
        small = _world(session, "pieni", SMALL)
        large = _world(session, "suuri", LARGE)
    search.configure(None)
    search.reindex(engine)
    problems = []
    costs = {}
    for name, (persona, url) in _pages(small).items():
        big_persona, big_url = _pages(large)[name]
        few = _cost(client, engine, persona, url)
        many = _cost(client, engine, big_persona, big_url)
        costs[name] = (len(few), len(many))
        if len(many) > len(few):
            problems.append(f"{name}: {len(few)} -> {len(many)} statements\n{_grown(few, many)}")
    print("statements per page (small, large):", costs)  # noqa: T201 - read with -s
    assert not problems, "\n".join(problems)
