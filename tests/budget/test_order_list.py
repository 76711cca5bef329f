"""The provider's order list and delivery history (services, both engines): new orders first,
search, filters, pages, sort keys, only the provider's own rows, and a number of SQL
statements that does not grow with the number of orders."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlmodel import Session

from app.models.budget import OrderStatus
from app.models.provider import Provider
from app.models.user import Role
from app.services.budget import deliveries, delivery_list, order_list, plan
from tests.support.budget_world import TODAY, BudgetWorld, build, user


@contextmanager
def statements(session: Session) -> Iterator[list[str]]:
    seen: list[str] = []
    engine = session.get_bind()

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _clients(world: BudgetWorld, names: list[str], lines_each: int) -> dict[str, list[int]]:
    """Clients of the world's worker, each with a confirmed plan of `lines_each` orders."""
    s = world.session
    worker = world.actor(world.case_worker)
    made: dict[str, list[int]] = {}
    for name in names:
        person = user(
            s,
            name,
            Role.client,
            organiser_id=world.organiser.id,
            case_worker_id=world.case_worker.id,
        )
        world.client = person
        budget = world.frame(1_000_000)
        actor = world.actor(person)
        ids = []
        for n in range(lines_each):
            offer = world.offer(1_000 + n)
            ids.append(plan.add_line(s, actor, budget, offer.id, 2, 1, TODAY).id)  # type: ignore[arg-type]
        plan.submit(s, actor, budget, "")
        plan.confirm(s, worker, budget, "")
        made[name] = ids  # type: ignore[assignment]
    return made


def test_new_orders_first_then_filtered_pages(session: Session) -> None:
    world = build(session, code="ol")
    made = _clients(world, ["Aino Aalto", "Bertil Berg", "Cecilia Cruz"], 3)
    provider = world.actor(world.provider_user)
    for line_id in made["Aino Aalto"] + made["Bertil Berg"][:1]:
        deliveries.decide_order(session, provider, line_id, True)
    deliveries.decide_order(session, provider, made["Bertil Berg"][1], False)
    deliveries.report_delivery(session, provider, made["Aino Aalto"][0], TODAY, 1, "")

    result = order_list.order_page(session, provider, order_list.OrderQuery())
    new_ids = [o.line_id for o in result.new]
    assert set(new_ids) == {made["Bertil Berg"][2], *made["Cecilia Cruz"]}
    assert result.new_count == 4 and all(o.is_new for o in result.new)
    assert new_ids[0] == made["Cecilia Cruz"][-1]  # newest first: the last confirmed plan
    # The list below leaves the queue out, by default.
    assert {o.line_id for o in result.rows} == {*made["Aino Aalto"], *made["Bertil Berg"][:2]}
    delivered = {o.line_id: o.delivered_units for o in result.rows}
    assert delivered[made["Aino Aalto"][0]] == 1 and delivered[made["Aino Aalto"][1]] == 0
    assert [name for _id, name in result.clients] == ["Aino Aalto", "Bertil Berg", "Cecilia Cruz"]

    declined = order_list.OrderQuery(status=OrderStatus.declined)
    rows = order_list.order_page(session, provider, declined).rows
    assert [o.line_id for o in rows] == [made["Bertil Berg"][1]]
    by_client = order_list.OrderQuery(client_id=result.clients[1][0])
    assert {o.client_name for o in order_list.order_page(session, provider, by_client).rows} == {
        "Bertil Berg"
    }
    # Words: a client's name or a service title (in any language), case-insensitive.
    assert {o.client_name for o in _search(session, provider, "cecilia")} == {"Cecilia Cruz"}
    titled = _search(session, provider, "tjänst 1002")
    assert {o.line_id for o in titled} == {made[n][2] for n in made}
    assert _search(session, provider, "100%") == []  # a wildcard is a plain character


def _search(session: Session, actor: Any, words: str) -> list[order_list.OrderRow]:
    return order_list.order_page(session, actor, order_list.OrderQuery(q=words)).rows


def test_pages_and_a_fixed_number_of_statements(session: Session) -> None:
    world = build(session, code="op")
    provider = world.actor(world.provider_user)
    _clients(world, ["Eka", "Toka", "Kolmas"], 4)  # more than the queue shows
    session.flush()
    with statements(session) as few:
        order_list.order_page(session, provider, order_list.OrderQuery(status=OrderStatus.pending))
    made = _clients(world, [f"Asiakas {n:02d}" for n in range(9)], 4)
    assert sum(len(ids) for ids in made.values()) == 36
    session.flush()
    with statements(session) as many:
        result = order_list.order_page(
            session, provider, order_list.OrderQuery(status=OrderStatus.pending, page=3)
        )
    assert len(many) == len(few) <= 5
    assert result.total == 48 and result.pages == 3 and result.page == 3
    assert len(result.rows) == 48 - 2 * order_list.PAGE_SIZE
    assert len(result.new) == order_list.NEW_LIMIT and result.new_count == 48
    past_end = order_list.order_page(session, provider, order_list.OrderQuery(page=99))
    assert past_end.page == past_end.pages


def test_another_provider_sees_none_of_it(session: Session) -> None:
    world = build(session, code="ox")
    made = _clients(world, ["Oma Asiakas"], 2)
    other = Provider(name="Toinen Oy", business_id="7654321-8")
    session.add(other)
    session.flush()
    stranger = user(session, "Vieras", Role.provider_owner, provider_id=other.id)
    actor = world.actor(stranger)
    result = order_list.order_page(session, actor, order_list.OrderQuery())
    assert result.new == [] and result.rows == [] and result.clients == []
    assert order_list.order_row(session, actor, made["Oma Asiakas"][0]) is None
    own = world.actor(world.provider_user)
    assert order_list.order_row(session, own, made["Oma Asiakas"][0]) is not None
    assert delivery_list.delivery_page(session, actor, None, 1, "fi").rows == []


def test_delivery_history_sorts_by_a_named_key(session: Session) -> None:
    world = build(session, code="dh")
    made = _clients(world, ["Bea", "Aapo"], 1)
    provider = world.actor(world.provider_user)
    for name, units in (("Bea", 2), ("Aapo", 1)):
        deliveries.decide_order(session, provider, made[name][0], True)
        deliveries.report_delivery(session, provider, made[name][0], TODAY, units, "")
    by_client = delivery_list.delivery_page(session, provider, "client", 1, "fi")
    assert [r.client_name for r in by_client.rows] == ["Aapo", "Bea"]
    by_units = delivery_list.delivery_page(session, provider, "-units", 1, "sv")
    assert [r.units for r in by_units.rows] == [2, 1]
    assert by_units.rows[0].title["sv"].startswith("Tjänst")
    newest = delivery_list.delivery_page(session, provider, "drop table", 1, "fi")
    assert newest.sort == delivery_list.DEFAULT_SORT
    assert [r.client_name for r in newest.rows] == ["Aapo", "Bea"]  # newest report first
    assert delivery_list.valid_sort("-service") == "-service"
    assert delivery_list.valid_sort("--date") == delivery_list.DEFAULT_SORT


def test_over_http_each_provider_and_worker_sees_only_their_own(client: Any, engine: Any) -> None:
    from tests.support.web import login_as

    with Session(engine, expire_on_commit=False) as s:
        world = build(s, code="oh")
        own = _clients(world, ["Oma Asiakas"], 1)["Oma Asiakas"][0]
        other = Provider(name="Toinen Oy", business_id="7654321-8")
        s.add(other)
        s.flush()
        stranger = user(s, "Vieras", Role.provider_owner, provider_id=other.id)
        stranger.dev_persona = "oh-stranger"
        world.provider_user.dev_persona = "oh-provider"
        other_worker = user(s, "Outi", Role.case_worker, organiser_id=world.organiser.id)
        other_worker.dev_persona = "oh-other-worker"
        world.case_worker.dev_persona = "oh-worker"
        s.add_all([stranger, world.provider_user, other_worker, world.case_worker])
        waiting = user(s, "Odottava Asiakas", Role.client, organiser_id=world.organiser.id,
                       case_worker_id=world.case_worker.id)  # fmt: skip
        world.client = waiting
        budget = world.frame(10_000)
        actor = world.actor(waiting)
        plan.add_line(s, actor, budget, world.offer(500).id, 1, 1, TODAY)  # type: ignore[arg-type]
        plan.submit(s, actor, budget, "")
        s.commit()
    login_as(client, "oh-provider")
    page = client.get("/tuottaja/tilaukset?q=oma")
    assert page.status_code == 200 and "Oma Asiakas" in page.text
    assert client.get(f"/tuottaja/tilaukset/{own}").status_code == 200
    assert client.get("/tuottaja/tilaukset?status=bogus&client=x&page=%C2%B2").status_code == 200
    login_as(client, "oh-stranger")
    assert "Oma Asiakas" not in client.get("/tuottaja/tilaukset").text
    assert client.get(f"/tuottaja/tilaukset/{own}").status_code == 404
    assert "Oma Asiakas" not in client.get("/tuottaja/toimitukset?sort=client").text
    login_as(client, "oh-worker")
    assert "Odottava Asiakas" in client.get("/tyo").text
    login_as(client, "oh-other-worker")
    worklist_page = client.get("/tyo")
    assert worklist_page.status_code == 200 and "Odottava Asiakas" not in worklist_page.text
